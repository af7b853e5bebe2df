// PostgreSQL's text forms of a row (a composite type's value) and of an array, for a statement that
// takes a declared type: `$1::some_row_type[]`. Both database drivers send parameters as text, and the
// database reads them with the type's own input function, so a field of the wrong type fails the
// statement instead of being read loosely out of JSON.
//
// A row is `(f1,f2,...)`: an empty field is NULL, any other is double-quoted with `"` and `\` escaped
// by a backslash (so an empty string stays an empty string, and commas, parentheses and braces stay
// text). An array is `{e1,e2,...}` with the same quoting, and NULL for a missing element. A row inside
// a row is passed as its own literal, quoted like any text.

/** A field's value: text, a number, a yes/no, a row or array already written as a literal, or none (NULL). */
export type LiteralField = string | number | boolean | null;

const quoted = (text: string): string => `"${text.replace(/["\\]/g, '\\$&')}"`;

function fieldText(value: Exclude<LiteralField, null>): string {
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`a row field must be a finite number, not ${value}`);
    return String(value);
  }
  return value;
}

/** The literal of a row whose fields are `values`, in the order the type declares them. */
export function rowLiteral(values: readonly LiteralField[]): string {
  return `(${values.map((value) => (value === null ? '' : quoted(fieldText(value)))).join(',')})`;
}

/** The literal of an array of `items` (text, numbers, or rows written by rowLiteral). */
export function arrayLiteral(items: readonly LiteralField[]): string {
  return `{${items.map((item) => (item === null ? 'NULL' : quoted(fieldText(item)))).join(',')}}`;
}
