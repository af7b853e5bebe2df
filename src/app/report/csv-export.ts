// The CSV export: the server's CSV of the period's holds (of one line, when the report is narrowed
// to one), with the operators' names added, saved as a file by the browser.
import { h } from '../dom.ts';
import { parseCsv, withOperatorNames } from './csv.ts';
import type { Directory } from './operators.ts';
import type { ReportPeriod } from './period.ts';
import type { ReportApi } from './report-api.ts';

/** The export's file name: the period's days, and the line when the report is narrowed to one. */
export function csvFileName(period: ReportPeriod, lineNumber: string | null): string {
  const days = period.first === period.last ? period.first : `${period.first}-${period.last}`;
  const line = lineNumber === null ? '' : `-${lineNumber.replace(/[^\p{L}\p{N}_.-]+/gu, '_')}`;
  return `holds-${days}${line}.csv`;
}

/** Downloads the holds as a file; resolves with its name and how many holds it has. */
export async function exportHolds(api: ReportApi, directory: Directory, period: ReportPeriod, lineNumber: string | null): Promise<{ file: string; holds: number }> {
  const text = await api.csv(period, { lineNumber });
  const rows = parseCsv(text);
  const userCol = rows[0]?.indexOf('userId') ?? -1;
  await directory.load(rows.slice(1).map((row) => Number(row[userCol])).filter(Number.isSafeInteger));
  const file = csvFileName(period, lineNumber);
  const url = URL.createObjectURL(new Blob([withOperatorNames(text, (id) => directory.get(id)?.name ?? null)], { type: 'text/csv;charset=utf-8' }));
  const link = h('a', { href: url, download: file, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { file, holds: Math.max(0, rows.length - 1) };
}
