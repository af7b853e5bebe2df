import type * as v from 'valibot';
import { loadAllDefinitions } from '../outputs/index.ts';
import type { AnyOutputDefinition, FieldKind } from '../outputs/types.ts';

/** The output definitions, all loaded: what the app page shows, checks and test-sends. */
export interface OutputCatalog {
  /** Type names in the table's order. */
  readonly types: readonly string[];
  get(type: string): AnyOutputDefinition | undefined;
}

/** One control of an output's card, as the form shows it. */
export interface FieldSpec {
  key: string;
  kind: FieldKind;
  label: string;
  hint?: string;
  /** The schema requires it: written even when empty, so the check names the field. */
  required: boolean;
}

export async function loadCatalog(): Promise<OutputCatalog> {
  return catalogOf(await loadAllDefinitions());
}

export function catalogOf(definitions: ReadonlyMap<string, AnyOutputDefinition>): OutputCatalog {
  return { types: [...definitions.keys()], get: (type) => definitions.get(type) };
}

/** The form's fields of `type`, in order; none for a type the catalog does not know. */
export function fieldsOf(catalog: OutputCatalog, type: string): FieldSpec[] {
  const definition = catalog.get(type);
  if (!definition) return [];
  return definition.fields.map((field) => ({ ...field, required: isRequired(definition.schema.entries[field.key]) }));
}

function isRequired(schema: v.GenericSchema | undefined): boolean {
  return (
    schema !== undefined && schema.type !== 'optional' && schema.type !== 'nullish' && schema.type !== 'undefinedable'
  );
}
