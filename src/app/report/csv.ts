// The holds export as the server writes it (RFC 4180, UTF-8 with a byte-order mark), with the
// operators' names added beside their IDs, so a spreadsheet shows who held, in any script.
// Users name themselves: a name is made inert as the server's own untrusted cells are.
import { neutraliseFormula } from '../../lib/spreadsheet-formula.ts';

const BOM = '\uFEFF';

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}


/** Adds an `operator` column after `userId`; writes UTF-8 with a BOM and CRLF rows. */
export function withOperatorNames(text: string, nameOf: (userId: number) => string | null): string {
  const rows = parseCsv(text);
  const header = rows[0] ?? [];
  const at = header.indexOf('userId');
  const out = rows.map((row, i) => {
    if (at === -1) return row;
    const name = i === 0 ? 'operator' : (nameOf(Number(row[at])) ?? '');
    return [...row.slice(0, at + 1), neutraliseFormula(name), ...row.slice(at + 1)];
  });
  return `${BOM}${out.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
