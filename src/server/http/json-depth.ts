// How deeply a JSON text nests, found on the raw text before it is parsed: one pass that counts the
// brackets outside strings. A body nested thousands of levels deep is refused without parsing it
// (and never reaches the database, whose JSON functions recurse too).

/** Deepest nesting any API body needs is 4 (`{"events": [{"data": {...}}]}`); this leaves room. */
export const MAX_JSON_DEPTH = 32;

/** Whether `text` nests arrays and objects deeper than `max`. Malformed text is left to JSON.parse. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // a backslash: the next character is escaped
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) return true;
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--;
    }
  }
  return false;
}
