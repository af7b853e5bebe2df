// The period report: totals, per operator and per day in the reader's time zone. Reads the holds
// and calls tables only. A hold belongs to the period it started in; durations count ended holds.
import type { Queryable } from '../db/index.ts';

export interface Period {
  from: Date;
  to: Date;
  /** IANA time zone for days. */
  tz: string;
}

export interface Figures {
  calls: number;
  callsWithHolds: number;
  holds: number;
  heldMs: number;
  avgHeldMs: number;
  longestHeldMs: number;
  endedWithCall: number;
}

export interface Report {
  period: { from: string; to: string; tz: string };
  totals: Figures;
  operators: (Figures & { userId: number })[];
  days: { date: string; holds: number; heldMs: number }[];
  /** Per local hour (`YYYY-MM-DDTHH`), only when asked for. */
  hours?: { hour: string; holds: number; heldMs: number }[];
}

const HOLD_FIGURES = `
  count(DISTINCT call_key)::int AS calls_with_holds,
  count(*)::int AS holds,
  COALESCE(sum(held_ms) FILTER (WHERE ended_at IS NOT NULL), 0)::float8 AS held_ms,
  COALESCE(round(avg(held_ms) FILTER (WHERE ended_at IS NOT NULL)), 0)::float8 AS avg_held_ms,
  COALESCE(max(held_ms) FILTER (WHERE ended_at IS NOT NULL), 0)::float8 AS longest_held_ms,
  count(*) FILTER (WHERE ended_by IN ('hangup', 'close'))::int AS ended_with_call`;
const IN_PERIOD = 'portal = $1 AND started_at >= $2 AND started_at < $3 AND NOT failed';
/** A call counts in the period when any of its events falls in it (its first before the end, its last after the start). */
const CALLS_IN_PERIOD = 'portal = $1 AND first_at < $3 AND last_at >= $2';

const OPERATORS = `
  WITH h AS (SELECT user_id, ${HOLD_FIGURES} FROM holds WHERE ${IN_PERIOD} GROUP BY user_id),
       c AS (SELECT user_id, count(*)::int AS calls FROM calls WHERE ${CALLS_IN_PERIOD} GROUP BY user_id)
  SELECT COALESCE(h.user_id, c.user_id) AS user_id, COALESCE(c.calls, 0) AS calls,
         COALESCE(h.calls_with_holds, 0) AS calls_with_holds, COALESCE(h.holds, 0) AS holds,
         COALESCE(h.held_ms, 0) AS held_ms, COALESCE(h.avg_held_ms, 0) AS avg_held_ms,
         COALESCE(h.longest_held_ms, 0) AS longest_held_ms, COALESCE(h.ended_with_call, 0) AS ended_with_call
  FROM h FULL JOIN c ON h.user_id = c.user_id
  ORDER BY 1`;
const TOTALS = `
  SELECT (SELECT count(*)::int FROM calls WHERE ${CALLS_IN_PERIOD}) AS calls, h.*
  FROM (SELECT ${HOLD_FIGURES} FROM holds WHERE ${IN_PERIOD}) h`;
const DAYS = `
  SELECT to_char(started_at AT TIME ZONE $4, 'YYYY-MM-DD') AS date, count(*)::int AS holds,
         COALESCE(sum(held_ms) FILTER (WHERE ended_at IS NOT NULL), 0)::float8 AS held_ms
  FROM holds WHERE ${IN_PERIOD}
  GROUP BY 1 ORDER BY 1`;
const HOURS = DAYS.replace("'YYYY-MM-DD'", `'YYYY-MM-DD"T"HH24'`).replace('AS date', 'AS hour');

interface FigureRow {
  calls: number;
  calls_with_holds: number;
  holds: number;
  held_ms: number;
  avg_held_ms: number;
  longest_held_ms: number;
  ended_with_call: number;
}

const figures = (row: FigureRow | undefined): Figures => ({
  calls: row?.calls ?? 0,
  callsWithHolds: row?.calls_with_holds ?? 0,
  holds: row?.holds ?? 0,
  heldMs: row?.held_ms ?? 0,
  avgHeldMs: row?.avg_held_ms ?? 0,
  longestHeldMs: row?.longest_held_ms ?? 0,
  endedWithCall: row?.ended_with_call ?? 0,
});

export async function periodReport(db: Queryable, portal: string, period: Period, options: { hours?: boolean } = {}): Promise<Report> {
  const range = [portal, period.from, period.to];
  const [totals, operators, days, hours] = await Promise.all([
    db.query<FigureRow>(TOTALS, range),
    db.query<FigureRow & { user_id: number }>(OPERATORS, range),
    db.query<{ date: string; holds: number; held_ms: number }>(DAYS, [...range, period.tz]),
    options.hours ? db.query<{ hour: string; holds: number; held_ms: number }>(HOURS, [...range, period.tz]) : null,
  ]);
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz },
    totals: figures(totals[0]),
    operators: operators.map((row) => ({ userId: row.user_id, ...figures(row) })),
    days: days.map((row) => ({ date: row.date, holds: row.holds, heldMs: row.held_ms })),
    ...(hours ? { hours: hours.map((row) => ({ hour: row.hour, holds: row.holds, heldMs: row.held_ms })) } : {}),
  };
}
