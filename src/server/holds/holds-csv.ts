// The holds export: UTF-8 with a byte-order mark (so Excel reads Cyrillic names right), RFC 4180
// quoting, CRLF rows, and no cell that a spreadsheet would run as a formula.
import { neutraliseFormula } from '../../lib/spreadsheet-formula.ts';
import type { HoldRow } from './holds-list.ts';

const BOM = '\uFEFF';
const COLUMNS = ['date', 'startedAt', 'endedAt', 'heldSeconds', 'heldMs', 'endedBy', 'userId', 'callId', 'phoneNumber', 'crmEntityType', 'crmEntityId'] as const;

/** Quotes a cell when it must be quoted; text from outside is made inert first (neutraliseFormula). */
export function csvCell(value: string | number | null, untrusted = false): string {
  if (value === null) return '';
  let text = String(value);
  if (untrusted) text = neutraliseFormula(text);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function holdsCsv(rows: readonly HoldRow[], tz: string): string {
  // en-CA writes dates as YYYY-MM-DD: the hold's local calendar date in the reader's zone.
  const days = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  const localDate = (iso: string, _tz: string): string => days.format(new Date(iso));
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    lines.push([
      csvCell(localDate(row.startedAt, tz)),
      csvCell(row.startedAt),
      csvCell(row.endedAt),
      csvCell(row.heldMs === null ? null : Math.round(row.heldMs / 100) / 10),
      csvCell(row.heldMs),
      csvCell(row.endedBy),
      csvCell(row.userId),
      csvCell(row.callId, true),
      csvCell(row.phoneNumber, true),
      csvCell(row.crmEntityType, true),
      csvCell(row.crmEntityId),
    ].join(','));
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
