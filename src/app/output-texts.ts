import type { FieldSpec, OutputCatalog } from './catalog.ts';
import type { Texts } from './texts.ts';

/** An output's name, hint and field texts: the page's translation where it has one, else the definition's English. */
export const typeName = (t: Texts, type: string, catalog: OutputCatalog): string => t.typeNames[type] ?? catalog.get(type)?.title ?? type;

export const typeHint = (t: Texts, type: string, catalog: OutputCatalog): string | undefined => t.typeHints[type] ?? catalog.get(type)?.description;

export const fieldLabel = (t: Texts, field: FieldSpec): string => t.fieldLabels[field.key] ?? field.label;

export const fieldHint = (t: Texts, field: FieldSpec): string | undefined => t.fieldHints[field.key] ?? field.hint;
