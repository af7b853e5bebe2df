// The CSV export: the file of the period's holds (of one line, when the report is narrowed to one)
// as the server wrote it, names and all, saved by the browser under a name that says what it holds.
import { h } from '../dom.ts';
import type { ReportPeriod } from './period.ts';
import type { ReportApi } from './report-api.ts';

/** The export's file name: the period's days, and the line when the report is narrowed to one. */
export function csvFileName(period: ReportPeriod, lineNumber: string | null): string {
  const days = period.first === period.last ? period.first : `${period.first}-${period.last}`;
  const line = lineNumber === null ? '' : `-${lineNumber.replace(/[^\p{L}\p{N}_.-]+/gu, '_')}`;
  return `holds-${days}${line}.csv`;
}

/** Downloads the holds as a file; resolves with its name, how many holds it has and whether it names the operators. */
export async function exportHolds(
  api: ReportApi,
  period: ReportPeriod,
  lineNumber: string | null,
): Promise<{ file: string; holds: number; named: boolean }> {
  const csv = await api.csv(period, { lineNumber });
  const file = csvFileName(period, lineNumber);
  const url = URL.createObjectURL(csv.file);
  const link = h('a', { href: url, download: file, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { file, holds: csv.holds, named: csv.named };
}
