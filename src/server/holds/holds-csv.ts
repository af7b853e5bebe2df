// The holds export, written once and whole here: UTF-8 with a byte-order mark (so Excel reads
// Cyrillic names right), RFC 4180 quoting, CRLF rows, the operator's name beside their user id, and
// no cell that a spreadsheet would run as a formula (users name themselves: names count as untrusted).
import { neutraliseFormula } from '../../lib/spreadsheet-formula.ts';
import type { HoldRow } from './holds-list.ts';

const BOM = '\uFEFF';
const COLUMNS = [
  'date',
  'startedAt',
  'endedAt',
  'heldSeconds',
  'heldMs',
  'endedBy',
  'userId',
  'operator',
  'callId',
  'phoneNumber',
  'crmEntityType',
  'crmEntityId',
  'lineNumber',
  'answeredAt',
  'talkMs',
] as const;

/** Quotes a cell when it must be quoted; text from outside is made inert first (neutraliseFormula). */
export function csvCell(value: string | number | null, untrusted = false): string {
  if (value === null) return '';
  let text = String(value);
  if (untrusted) text = neutraliseFormula(text);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `nameOf` gives an operator's name, or null when the portal did not (the cell is left empty). */
export function holdsCsv(
  rows: readonly HoldRow[],
  tz: string,
  nameOf: (userId: number) => string | null = () => null,
): string {
  // en-CA writes dates as YYYY-MM-DD: the hold's local calendar date in the reader's zone.
  const days = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  const localDate = (iso: string, _tz: string): string => days.format(new Date(iso));
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        csvCell(localDate(row.startedAt, tz)),
        csvCell(row.startedAt),
        csvCell(row.endedAt),
        csvCell(row.heldMs === null ? null : Math.round(row.heldMs / 100) / 10),
        csvCell(row.heldMs),
        csvCell(row.endedBy),
        csvCell(row.userId),
        csvCell(nameOf(row.userId), true),
        csvCell(row.callId, true),
        csvCell(row.phoneNumber, true),
        csvCell(row.crmEntityType, true),
        csvCell(row.crmEntityId),
        csvCell(row.lineNumber, true),
        csvCell(row.answeredAt),
        csvCell(row.talkMs),
      ].join(','),
    );
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
