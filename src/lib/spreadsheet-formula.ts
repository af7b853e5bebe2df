// What makes a text cell safe to open in a spreadsheet: no formula (or DDE command) start, also
// not behind leading blanks or line breaks, which a spreadsheet skips, and not after a `;` or `,`,
// where Excel set to a locale that splits on `;` (ru, de) cuts the cell, quotes or not.
// Used by the server's CSV for every cell from outside, the operators' names included.

/** A formula start at the beginning, after blanks; or a tab, CR or LF first. */
const FORMULA_START = /^\s*[=+\-@|%]|^[\t\r\n]/;
/** A separator followed (after blanks) by a formula start. */
const FORMULA_AFTER_SEPARATOR = /([;,]\s*)(?=[=+\-@|%])/g;

/** Text from outside made inert: a leading ' wherever a spreadsheet would start a formula. */
export function neutraliseFormula(text: string): string {
  const inner = text.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  return FORMULA_START.test(inner) ? `'${inner}` : inner;
}
