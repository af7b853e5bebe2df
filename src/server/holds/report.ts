// The period report: totals, per operator and per day in the reader's time zone. It reads day
// sums for the whole UTC days of the period, quarter-hour sums around them, and single rows only
// in the minutes at its ends, so a report over months costs a few thousand rows. A hold belongs to the period in which it
// started; durations count ended holds. A call counts when any of its events falls in the period
// (a call is taken to last less than a day); callsWithHolds counts calls with a hold started in it.
// Calls are counted per operator, from that operator's own events: a call two operators took part
// in (a transfer) is a call of each, and the totals, the sum of the operators, count it for each.
import type { Figures, Report } from '../../contract/api.ts';
import type { Queryable } from '../db/index.ts';
import { refreshSums } from './rollups.ts';

export interface Period {
  from: Date;
  to: Date;
  /** IANA time zone for days. */
  tz: string;
}

export type { Figures, Report };

const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Parameters: $1 portal, $2 from, $3 to; $4..$5 the whole quarters inside [from, to), $6..$7 the
 * whole UTC days inside those (the days query takes the zone as $6 instead). Whole days come from the day sums, the quarters around
 * them from the quarter sums, and the minutes before the first and after the last quarter from rows.
 */
const T = (n: number) => `$${n}::timestamptz`;
const RAW_EDGE = (column: string) => `((${column} >= ${T(2)} AND ${column} < ${T(4)}) OR (${column} >= ${T(5)} AND ${column} < ${T(3)}))`;
const QUARTER_EDGE = `((bucket >= ${T(4)} AND bucket < ${T(6)}) OR (bucket >= ${T(7)} AND bucket < ${T(5)}))`;
const WHOLE_DAYS = `bucket >= ${T(6)} AND bucket < ${T(7)}`;
const SUMS = 'user_id, bucket AS at, holds, ended, held_ms, longest_ms, ended_with_call';
const HOLDS = `
  SELECT ${SUMS} FROM hold_days WHERE portal = $1 AND ${WHOLE_DAYS}
  UNION ALL
  SELECT ${SUMS} FROM hold_quarters WHERE portal = $1 AND ${QUARTER_EDGE}
  UNION ALL
  SELECT user_id, started_at, 1, (ended_at IS NOT NULL)::int, CASE WHEN ended_at IS NULL THEN 0 ELSE held_ms END,
         CASE WHEN ended_at IS NULL THEN 0 ELSE held_ms END, CASE WHEN ended_by IN ('hangup', 'close') THEN 1 ELSE 0 END
  FROM holds WHERE portal = $1 AND NOT failed AND ${RAW_EDGE('started_at')}`;
/** For days: portal-wide quarter sums (every whole quarter) and the raw minutes at the ends. */
const HOLDS_BY_QUARTER = `
  SELECT bucket AS at, holds, held_ms FROM portal_quarters WHERE portal = $1 AND bucket >= ${T(4)} AND bucket < ${T(5)}
  UNION ALL
  SELECT started_at, 1, CASE WHEN ended_at IS NULL THEN 0 ELSE held_ms END
  FROM holds WHERE portal = $1 AND NOT failed AND ${RAW_EDGE('started_at')}`;
const CALLS = `
  SELECT user_id, calls, calls_with_holds FROM call_days WHERE portal = $1 AND ${WHOLE_DAYS}
  UNION ALL
  SELECT user_id, calls, calls_with_holds FROM call_quarters WHERE portal = $1 AND ${QUARTER_EDGE}
  UNION ALL
  SELECT user_id, CASE WHEN ${RAW_EDGE('first_at')} THEN 1 ELSE 0 END, CASE WHEN ${RAW_EDGE('first_hold_at')} THEN 1 ELSE 0 END
  FROM calls WHERE portal = $1 AND (${RAW_EDGE('first_at')} OR ${RAW_EDGE('first_hold_at')})
  UNION ALL
  SELECT user_id, 1, 0 FROM calls
  WHERE portal = $1 AND first_at >= ${T(2)} - interval '1 day' AND first_at < ${T(2)} AND last_at >= ${T(2)}
  UNION ALL
  SELECT c.user_id, 0, 1 FROM calls c
  WHERE c.portal = $1 AND c.first_hold_at >= ${T(2)} - interval '1 day' AND c.first_hold_at < ${T(2)}
    AND EXISTS (SELECT 1 FROM holds h WHERE h.portal = c.portal AND h.user_id = c.user_id AND h.call_key = c.call_key AND NOT h.failed
                AND h.started_at >= ${T(2)} AND h.started_at < ${T(3)})`;
const HOLD_SUMS = `
  COALESCE(sum(holds), 0)::int AS holds, COALESCE(sum(ended), 0)::int AS ended, COALESCE(sum(held_ms), 0)::float8 AS held_ms,
  COALESCE(round(sum(held_ms)::numeric / NULLIF(sum(ended), 0)), 0)::float8 AS avg_held_ms,
  COALESCE(max(longest_ms), 0)::float8 AS longest_held_ms, COALESCE(sum(ended_with_call), 0)::int AS ended_with_call`;
const CALL_SUMS = 'COALESCE(sum(calls), 0)::int AS calls, COALESCE(sum(calls_with_holds), 0)::int AS calls_with_holds';

const OPERATORS = `
  WITH q AS (${HOLDS}), c AS (${CALLS}),
       h AS (SELECT user_id, ${HOLD_SUMS} FROM q GROUP BY user_id),
       k AS (SELECT user_id, ${CALL_SUMS} FROM c GROUP BY user_id)
  SELECT COALESCE(h.user_id, k.user_id) AS user_id, COALESCE(k.calls, 0) AS calls, COALESCE(k.calls_with_holds, 0) AS calls_with_holds,
         COALESCE(h.holds, 0) AS holds, COALESCE(h.ended, 0) AS ended, COALESCE(h.held_ms, 0) AS held_ms, COALESCE(h.avg_held_ms, 0) AS avg_held_ms,
         COALESCE(h.longest_held_ms, 0) AS longest_held_ms, COALESCE(h.ended_with_call, 0) AS ended_with_call
  FROM h FULL JOIN k ON h.user_id = k.user_id
  WHERE COALESCE(h.holds, 0) + COALESCE(k.calls, 0) + COALESCE(k.calls_with_holds, 0) > 0
  ORDER BY 1`;
const DAYS = `
  WITH q AS (${HOLDS_BY_QUARTER})
  SELECT to_char(at AT TIME ZONE $6, 'YYYY-MM-DD') AS date, sum(holds)::int AS holds, sum(held_ms)::float8 AS held_ms
  FROM q GROUP BY 1 HAVING sum(holds) > 0 ORDER BY 1`;
const HOURS = DAYS.replace("'YYYY-MM-DD'", `'YYYY-MM-DD"T"HH24'`).replace('AS date', 'AS hour');

interface FigureRow {
  calls: number;
  calls_with_holds: number;
  holds: number;
  /** Ended holds: what the average divides by. */
  ended: number;
  held_ms: number;
  avg_held_ms: number;
  longest_held_ms: number;
  ended_with_call: number;
}

const figures = (row: FigureRow): Figures => ({
  calls: row.calls,
  callsWithHolds: row.calls_with_holds,
  holds: row.holds,
  heldMs: row.held_ms,
  avgHeldMs: row.avg_held_ms,
  longestHeldMs: row.longest_held_ms,
  endedWithCall: row.ended_with_call,
});

/**
 * The portal's totals from its operators' rows: every call and hold belongs to exactly one
 * operator, so the sums add up, and the average is taken over the ended holds as in SQL (half away
 * from zero, as PostgreSQL's round). One query of the sums instead of two.
 */
function totalOf(rows: readonly FigureRow[]): FigureRow {
  const sum = (key: keyof FigureRow) => rows.reduce((total, row) => total + row[key], 0);
  const heldMs = sum('held_ms');
  const ended = sum('ended');
  return {
    calls: sum('calls'), calls_with_holds: sum('calls_with_holds'), holds: sum('holds'), ended, held_ms: heldMs,
    avg_held_ms: ended === 0 ? 0 : Math.round(heldMs / ended), longest_held_ms: rows.reduce((max, row) => Math.max(max, row.longest_held_ms), 0),
    ended_with_call: sum('ended_with_call'),
  };
}

/** The whole units (quarters, days) inside [from, to): [first, end); empty (both `to`) when there are none. */
export function wholeUnits(from: Date, to: Date, unitMs: number): [Date, Date] {
  const first = Math.ceil(from.getTime() / unitMs) * unitMs;
  const end = Math.floor(to.getTime() / unitMs) * unitMs;
  return first < end ? [new Date(first), new Date(end)] : [to, to];
}

export async function periodReport(db: Queryable, portal: string, period: Period, options: { hours?: boolean } = {}): Promise<Report> {
  // The sums of what was stored in the last second may not be up to date yet: they are now.
  await refreshSums(db, portal);
  const quarters = wholeUnits(period.from, period.to, QUARTER_MS);
  const days = wholeUnits(quarters[0], quarters[1], DAY_MS);
  // With no whole day, the quarters run on to the end: the day range is empty at the quarters' end.
  const range = [portal, period.from, period.to, ...quarters, ...(days[0] < days[1] ? days : [quarters[1], quarters[1]])];
  const [operators, dayRows, hours] = await Promise.all([
    db.query<FigureRow & { user_id: number }>(OPERATORS, range),
    db.query<{ date: string; holds: number; held_ms: number }>(DAYS, [...range.slice(0, 5), period.tz]),
    options.hours ? db.query<{ hour: string; holds: number; held_ms: number }>(HOURS, [...range.slice(0, 5), period.tz]) : null,
  ]);
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz },
    totals: figures(totalOf(operators)),
    operators: operators.map((row) => ({ userId: row.user_id, ...figures(row) })),
    days: dayRows.map((row) => ({ date: row.date, holds: row.holds, heldMs: row.held_ms })),
    ...(hours ? { hours: hours.map((row) => ({ hour: row.hour, holds: row.holds, heldMs: row.held_ms })) } : {}),
  };
}
