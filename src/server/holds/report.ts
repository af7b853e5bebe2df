// The period report: totals, per operator, per line and per day in the reader's time zone, from the
// sums of report-sums.ts, so a report over months costs a few thousand rows. A hold belongs to the
// period in which it started; durations count ended holds. Calls are counted per operator, from that
// operator's own events: a call two operators took part in (a transfer) is a call of each, and the
// totals, the sum of the operators, count it for each. Hold share is the held time of the calls
// whose talk time is known over their talk time; the calls without a known talk time are counted
// apart (callsWithoutTalk). Medians and the 90th percentile come from histograms (hold-lengths.ts).
import type { Figures, LineFigures, Report } from '../../contract/api.ts';
import type { Queryable } from '../db/index.ts';
import { QUANTILE_ACCURACY } from './hold-lengths.ts';
import { binListsOf, lineFigures, Sums, type CallRow, type HistogramRow, type HoldRow } from './report-figures.ts';
import { CALL_ROWS, DAY_HISTOGRAMS, DAYS, HOLD_ROWS, HOLD_ROWS_EDGES_BINS, HOURS } from './report-sums.ts';
import { refreshSums } from './rollups.ts';

export interface Period {
  from: Date;
  to: Date;
  /** IANA time zone for days. */
  tz: string;
}

export type { Figures, LineFigures, Report };

const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** Histograms of whole days, of one operator (line_number null) or one line (user_id null). */
export type DayHistogramRow = HistogramRow & { user_id: number | null; line_number: string | null };

/** Adds the rows up per operator, per line and in all; dayBins, when given, hold the whole days' histograms. */
function addUp(holdRows: readonly HoldRow[], callRows: readonly CallRow[], dayBins: readonly DayHistogramRow[]) {
  const totals = new Sums();
  const operators = new Map<number, Sums>();
  const lines = new Map<string, Sums>();
  const groups = (userId: number, line: string): Sums[] => {
    if (!operators.has(userId)) operators.set(userId, new Sums());
    if (!lines.has(line)) lines.set(line, new Sums());
    return [totals, operators.get(userId) as Sums, lines.get(line) as Sums];
  };
  for (const row of holdRows) {
    const lists = binListsOf(row);
    for (const sums of groups(row.user_id, row.line_number)) sums.addHolds(row, lists);
  }
  for (const row of callRows) for (const sums of groups(row.user_id, row.line_number)) sums.addCalls(row);
  for (const row of dayBins) {
    const lists = binListsOf(row);
    if (row.line_number === null) operators.get(row.user_id ?? -1)?.addLengths(lists);
    else for (const sums of [totals, lines.get(row.line_number)]) sums?.addLengths(lists);
  }
  return { totals, operators, lines };
}

/** The whole units (quarters, days) inside [from, to): [first, end); empty (both `to`) when there are none. */
export function wholeUnits(from: Date, to: Date, unitMs: number): [Date, Date] {
  const first = Math.ceil(from.getTime() / unitMs) * unitMs;
  const end = Math.floor(to.getTime() / unitMs) * unitMs;
  return first < end ? [new Date(first), new Date(end)] : [to, to];
}

export interface ReportOptions {
  hours?: boolean;
  /** Narrows every figure to this line. */
  lineNumber?: string | null;
}

export async function periodReport(
  db: Queryable,
  portal: string,
  period: Period,
  options: ReportOptions = {},
): Promise<Report> {
  // The sums of what was stored in the last second may not be up to date yet: they are now.
  await refreshSums(db, portal);
  const line = options.lineNumber ?? null;
  const quarters = wholeUnits(period.from, period.to, QUARTER_MS);
  const days = wholeUnits(quarters[0], quarters[1], DAY_MS);
  // With no whole day, the quarters run on to the end: the day range is empty at the quarters' end.
  const range = [
    portal,
    period.from,
    period.to,
    ...quarters,
    ...(days[0] < days[1] ? days : [quarters[1], quarters[1]]),
  ];
  const byDay = [...range.slice(0, 5), period.tz, line];
  // Every line: the whole days' histograms per operator and per line (fewer numbers than per both).
  const [holdRows, callRows, dayBins, dayRows, hours] = await Promise.all([
    db.query<HoldRow>(line === null ? HOLD_ROWS_EDGES_BINS : HOLD_ROWS, [...range, line]),
    db.query<CallRow>(CALL_ROWS, [...range, line]),
    line === null ? db.query<DayHistogramRow>(DAY_HISTOGRAMS, [portal, range[5], range[6]]) : [],
    db.query<{ date: string; holds: number; held_ms: number }>(DAYS, byDay),
    options.hours ? db.query<{ hour: string; holds: number; held_ms: number }>(HOURS, byDay) : null,
  ]);
  const sums = addUp(holdRows, callRows, dayBins);
  const byKey = <K extends string | number>(map: Map<K, Sums>) => [...map].filter(([, s]) => !s.empty);
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz },
    lineNumber: line,
    quantileAccuracy: QUANTILE_ACCURACY,
    totals: sums.totals.figures(),
    operators: byKey(sums.operators)
      .sort(([a], [b]) => a - b)
      .map(([userId, s]) => ({ userId, ...s.figures() })),
    // The calls without a line last.
    lines: byKey(sums.lines)
      .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0))
      .map(([l, s]) => lineFigures(l, s)),
    days: dayRows.map((row) => ({ date: row.date, holds: row.holds, heldMs: row.held_ms })),
    ...(hours ? { hours: hours.map((row) => ({ hour: row.hour, holds: row.holds, heldMs: row.held_ms })) } : {}),
  };
}
