// The period report's SQL. It reads day sums for the whole UTC days of the period, quarter-hour sums
// around them, and single rows (through the views of migration 010, where what one hold and one call
// add is defined) only in the minutes at its ends. Every query may be narrowed to one line.
//
// Parameters: $1 portal, $2 from, $3 to; $4..$5 the whole quarters inside [from, to), $6..$7 the
// whole UTC days inside those, $8 the line (null: every line). The days query takes the zone as $6
// and the line as $7 instead.

const T = (n: number) => `$${n}::timestamptz`;
const RAW_EDGE = (column: string) =>
  `((${column} >= ${T(2)} AND ${column} < ${T(4)}) OR (${column} >= ${T(5)} AND ${column} < ${T(3)}))`;
const QUARTER_EDGE = `((bucket >= ${T(4)} AND bucket < ${T(6)}) OR (bucket >= ${T(7)} AND bucket < ${T(5)}))`;
const WHOLE_DAYS = `bucket >= ${T(6)} AND bucket < ${T(7)}`;
const LINE = (n: number, column = 'line_number') => `($${n}::text IS NULL OR ${column} = $${n}::text)`;

const HOLD_SUMS =
  'user_id, line_number, holds, ended, held_ms, longest_ms, ended_with_call, held_bins, held_bin_holds, held_bin_ms';
/** A histogram's column as one comma-separated list per group (an empty histogram adds nothing to any of the three). */
const LIST = (column: string) => `string_agg(NULLIF(array_to_string(${column}, ','), ''), ',') AS ${column}`;

const holdRows = (dayBins: boolean) => `
  SELECT user_id, line_number, sum(holds)::integer AS holds, sum(ended)::integer AS ended, sum(held_ms)::float8 AS held_ms,
         max(longest_ms)::float8 AS longest_ms, sum(ended_with_call)::integer AS ended_with_call,
         ${LIST('held_bins')}, ${LIST('held_bin_holds')}, ${LIST('held_bin_ms')}
  FROM (
    SELECT ${dayBins ? HOLD_SUMS : HOLD_SUMS.replace(/held_bins, held_bin_holds, held_bin_ms$/, "'{}'::integer[] AS held_bins, '{}'::integer[] AS held_bin_holds, '{}'::bigint[] AS held_bin_ms")}
    FROM hold_days WHERE portal = $1 AND ${WHOLE_DAYS} AND ${LINE(8)}
    UNION ALL
    SELECT ${HOLD_SUMS} FROM hold_quarters WHERE portal = $1 AND ${QUARTER_EDGE} AND ${LINE(8)}
    UNION ALL
    SELECT user_id, line_number, 1, ended, held_ms, held_ms, ended_with_call, CASE WHEN bin IS NULL THEN '{}' ELSE ARRAY[bin] END,
           CASE WHEN bin IS NULL THEN '{}' ELSE ARRAY[ended] END, CASE WHEN bin IS NULL THEN '{}' ELSE ARRAY[held_ms] END
    FROM hold_sum_rows WHERE portal = $1 AND ${RAW_EDGE('at')} AND ${LINE(8)}
  ) AS r
  GROUP BY user_id, line_number`;

/**
 * The hold sums of the period per operator and line, with their histograms as lists of numbers (one
 * row per group, not per sum: a month is thousands of sums, and every row costs on the way out).
 * For one line ($8).
 */
export const HOLD_ROWS = holdRows(true);

/**
 * As HOLD_ROWS for every line ($8 null), with the histograms of the ends of the period only: those of
 * its whole days come from DAY_HISTOGRAMS, per operator and per line, a third of the numbers.
 */
export const HOLD_ROWS_EDGES_BINS = holdRows(false);

const DAY_LISTS = `${LIST('held_bins')}, ${LIST('held_bin_holds')}, ${LIST('held_bin_ms')}`;
/** The histograms of the whole days [$2, $3): per operator (line_number null) and per line (user_id null). */
export const DAY_HISTOGRAMS = `
  SELECT user_id, NULL::text AS line_number, ${DAY_LISTS} FROM hold_user_days WHERE portal = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz
  GROUP BY user_id
  UNION ALL
  SELECT NULL::integer, line_number, ${DAY_LISTS} FROM hold_line_days WHERE portal = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz
  GROUP BY line_number`;

const CALL_SUMS = 'user_id, line_number, calls, calls_with_holds, talked, talk_ms, talk_held_ms';
const EDGE_FIRST = RAW_EDGE('first_at');

/**
 * The call sums of the period per operator and line. A call counts when any of its events falls in
 * the period (a call is taken to last less than a day), with its talk; callsWithHolds counts calls
 * with a hold started in it.
 */
export const CALL_ROWS = `
  SELECT user_id, line_number, sum(calls)::integer AS calls, sum(calls_with_holds)::integer AS calls_with_holds,
         sum(talked)::integer AS talked, sum(talk_ms)::float8 AS talk_ms, sum(talk_held_ms)::float8 AS talk_held_ms
  FROM (
    SELECT ${CALL_SUMS} FROM call_days WHERE portal = $1 AND ${WHOLE_DAYS} AND ${LINE(8)}
    UNION ALL
    SELECT ${CALL_SUMS} FROM call_quarters WHERE portal = $1 AND ${QUARTER_EDGE} AND ${LINE(8)}
    UNION ALL
    SELECT user_id, line_number, CASE WHEN ${EDGE_FIRST} THEN 1 ELSE 0 END, CASE WHEN ${RAW_EDGE('first_hold_at')} THEN 1 ELSE 0 END,
           CASE WHEN ${EDGE_FIRST} THEN talked ELSE 0 END, CASE WHEN ${EDGE_FIRST} THEN talk_ms ELSE 0 END,
           CASE WHEN ${EDGE_FIRST} THEN talk_held_ms ELSE 0 END
    FROM call_sum_rows WHERE portal = $1 AND (${EDGE_FIRST} OR ${RAW_EDGE('first_hold_at')}) AND ${LINE(8)}
    UNION ALL
    SELECT user_id, line_number, 1, 0, talked, talk_ms, talk_held_ms FROM call_sum_rows
    WHERE portal = $1 AND first_at >= ${T(2)} - interval '1 day' AND first_at < ${T(2)} AND last_at >= ${T(2)} AND ${LINE(8)}
    UNION ALL
    -- A hold starts no later than an event of its call (its start is its event's time, or its end's
    -- minus its length), so a call whose last event came before the period has no hold in it: only
    -- the few calls running at the period's start are looked up, each one index range (LIMIT keeps
    -- the lookup a nested loop; a semi-join was planned as a pass over every hold of the period).
    SELECT c.user_id, c.line_number, 0, 1, 0, 0, 0 FROM call_sum_rows c
    CROSS JOIN LATERAL (SELECT 1 FROM hold_sum_rows h WHERE h.portal = c.portal AND h.user_id = c.user_id AND h.call_key = c.call_key
                        AND h.at >= ${T(2)} AND h.at < ${T(3)} LIMIT 1) AS held_in_period
    WHERE c.portal = $1 AND c.first_hold_at >= ${T(2)} - interval '1 day' AND c.first_hold_at < ${T(2)} AND ${LINE(8, 'c.line_number')}
      AND c.last_at >= ${T(2)}
  ) AS c
  GROUP BY user_id, line_number`;

/** For days: portal-wide quarter sums (every whole quarter) and the raw minutes at the ends. */
const HOLDS_BY_QUARTER = `
  SELECT bucket AS at, holds, held_ms FROM portal_quarters WHERE portal = $1 AND bucket >= ${T(4)} AND bucket < ${T(5)} AND ${LINE(7)}
  UNION ALL
  SELECT at, 1, held_ms FROM hold_sum_rows WHERE portal = $1 AND ${RAW_EDGE('at')} AND ${LINE(7)}`;
export const DAYS = `
  WITH q AS (SELECT at, sum(holds) AS holds, sum(held_ms) AS held_ms FROM (${HOLDS_BY_QUARTER}) AS r GROUP BY at)
  SELECT to_char(at AT TIME ZONE $6, 'YYYY-MM-DD') AS date, sum(holds)::int AS holds, sum(held_ms)::float8 AS held_ms
  FROM q GROUP BY 1 HAVING sum(holds) > 0 ORDER BY 1`;
export const HOURS = DAYS.replace("'YYYY-MM-DD'", `'YYYY-MM-DD"T"HH24'`).replace('AS date', 'AS hour');
