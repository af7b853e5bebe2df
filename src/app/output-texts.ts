import type { FieldSpec, OutputCatalog } from './catalog.ts';
import type { Texts } from './i18n/index.ts';

/** An output's name, hint and field texts: the page's translation where it has one, else the definition's English. */
export const typeName = (t: Texts, type: string, catalog: OutputCatalog): string =>
  t.typeNames[type] ?? catalog.get(type)?.title ?? type;

export const typeHint = (t: Texts, type: string, catalog: OutputCatalog): string | undefined =>
  t.typeHints[type] ?? catalog.get(type)?.description;

/** A field's texts are looked up as `type.key` first (where one output's field means something else), then `key`. */
export const fieldLabel = (t: Texts, type: string, field: FieldSpec): string =>
  t.fieldLabels[`${type}.${field.key}`] ?? t.fieldLabels[field.key] ?? field.label;

export const fieldHint = (t: Texts, type: string, field: FieldSpec): string | undefined =>
  t.fieldHints[`${type}.${field.key}`] ?? t.fieldHints[field.key] ?? field.hint;
