// Keeps the sums right after a change to some holds and calls: find the quarters those rows sat
// in before the change and sit in after it, recompute exactly those from the rows, then the days
// and portal-wide quarters from them. A handful of set-based statements per transaction.
import type { Queryable } from '../db/index.ts';

export interface Touched {
  holds: { portal: string; call_key: string; hold_seq: number }[];
  calls: { portal: string; call_key: string }[];
}

type Bucket = { portal: string; user_id: number; bucket: string | Date };
export interface Quarters {
  holds: Bucket[];
  calls: Bucket[];
}

/** $1 touched holds, $2 touched calls: the quarters they sit in, per kind of sum. */
const BUCKETS_OF = `
  SELECT DISTINCT 'holds' AS kind, h.portal, h.user_id, quarter_of(h.started_at) AS bucket
  FROM holds h JOIN jsonb_to_recordset($1::jsonb) AS k(portal text, call_key text, hold_seq int)
    ON h.portal = k.portal AND h.call_key = k.call_key AND h.hold_seq = k.hold_seq
  WHERE h.started_at IS NOT NULL
  UNION
  SELECT 'calls', c.portal, c.user_id, quarter_of(x.at)
  FROM calls c JOIN jsonb_to_recordset($2::jsonb) AS k(portal text, call_key text) ON c.portal = k.portal AND c.call_key = k.call_key
  CROSS JOIN LATERAL (VALUES (c.first_at), (c.first_hold_at)) AS x(at)
  WHERE x.at IS NOT NULL`;
const FIRST_HOLDS = `
  UPDATE calls c SET first_hold_at = (SELECT min(h.started_at) FROM holds h WHERE h.portal = c.portal AND h.call_key = c.call_key AND NOT h.failed)
  FROM jsonb_to_recordset($1::jsonb) AS k(portal text, call_key text)
  WHERE c.portal = k.portal AND c.call_key = k.call_key`;
const BUCKETS = 'jsonb_to_recordset($1::jsonb) AS b(portal text, user_id int, bucket timestamptz)';
const IN_BUCKET = (column: string) => `${column} >= b.bucket AND ${column} < b.bucket + interval '15 minutes'`;

// Recomputed quarters are written whole; one that emptied keeps a row of zeros, which adds nothing.
// One index range per quarter (LATERAL), never a join the planner could turn into a scan of every hold.
const REFRESH = {
  holds: `
    INSERT INTO hold_quarters
    SELECT b.portal, b.bucket, b.user_id, s.holds, s.ended, s.held_ms, s.longest_ms, s.ended_with_call
    FROM ${BUCKETS} CROSS JOIN LATERAL (
      SELECT count(*) AS holds, count(h.ended_at) AS ended,
             COALESCE(sum(h.held_ms) FILTER (WHERE h.ended_at IS NOT NULL), 0) AS held_ms,
             COALESCE(max(h.held_ms) FILTER (WHERE h.ended_at IS NOT NULL), 0) AS longest_ms,
             count(*) FILTER (WHERE h.ended_by IN ('hangup', 'close')) AS ended_with_call
      FROM holds h WHERE h.portal = b.portal AND ${IN_BUCKET('h.started_at')} AND h.user_id = b.user_id AND NOT h.failed) AS s
    ON CONFLICT (portal, bucket, user_id) DO UPDATE SET holds = EXCLUDED.holds, ended = EXCLUDED.ended, held_ms = EXCLUDED.held_ms,
      longest_ms = EXCLUDED.longest_ms, ended_with_call = EXCLUDED.ended_with_call`,
  calls: `
    INSERT INTO call_quarters
    SELECT b.portal, b.bucket, b.user_id,
           (SELECT count(*) FROM calls c WHERE c.portal = b.portal AND ${IN_BUCKET('c.first_at')} AND c.user_id = b.user_id),
           (SELECT count(*) FROM calls c WHERE c.portal = b.portal AND ${IN_BUCKET('c.first_hold_at')} AND c.user_id = b.user_id)
    FROM ${BUCKETS}
    ON CONFLICT (portal, bucket, user_id) DO UPDATE SET calls = EXCLUDED.calls, calls_with_holds = EXCLUDED.calls_with_holds`,
};

const SUM_UP = {
  holds: [
    `INSERT INTO hold_days
     SELECT d.portal, d.day, d.user_id, s.holds, s.ended, s.held_ms, s.longest_ms, s.ended_with_call
     FROM (SELECT DISTINCT portal, user_id, day_of(bucket) AS day FROM ${BUCKETS}) AS d CROSS JOIN LATERAL (
       SELECT COALESCE(sum(holds), 0) AS holds, COALESCE(sum(ended), 0) AS ended, COALESCE(sum(held_ms), 0) AS held_ms,
              COALESCE(max(longest_ms), 0) AS longest_ms, COALESCE(sum(ended_with_call), 0) AS ended_with_call
       FROM hold_quarters q WHERE q.portal = d.portal AND q.user_id = d.user_id AND q.bucket >= d.day AND q.bucket < d.day + interval '1 day') AS s
     ON CONFLICT (portal, bucket, user_id) DO UPDATE SET holds = EXCLUDED.holds, ended = EXCLUDED.ended, held_ms = EXCLUDED.held_ms,
       longest_ms = EXCLUDED.longest_ms, ended_with_call = EXCLUDED.ended_with_call`,
    `INSERT INTO portal_quarters
     SELECT p.portal, p.bucket, s.holds, s.held_ms
     FROM (SELECT DISTINCT portal, bucket FROM ${BUCKETS}) AS p CROSS JOIN LATERAL (
       SELECT COALESCE(sum(holds), 0) AS holds, COALESCE(sum(held_ms), 0) AS held_ms
       FROM hold_quarters q WHERE q.portal = p.portal AND q.bucket = p.bucket) AS s
     ON CONFLICT (portal, bucket) DO UPDATE SET holds = EXCLUDED.holds, held_ms = EXCLUDED.held_ms`,
  ],
  calls: [
    `INSERT INTO call_days
     SELECT d.portal, d.day, d.user_id, s.calls, s.calls_with_holds
     FROM (SELECT DISTINCT portal, user_id, day_of(bucket) AS day FROM ${BUCKETS}) AS d CROSS JOIN LATERAL (
       SELECT COALESCE(sum(calls), 0) AS calls, COALESCE(sum(calls_with_holds), 0) AS calls_with_holds
       FROM call_quarters q WHERE q.portal = d.portal AND q.user_id = d.user_id AND q.bucket >= d.day AND q.bucket < d.day + interval '1 day') AS s
     ON CONFLICT (portal, bucket, user_id) DO UPDATE SET calls = EXCLUDED.calls, calls_with_holds = EXCLUDED.calls_with_holds`,
  ],
};

/** The quarters the touched rows sit in now. */
export async function quartersOf(tx: Queryable, touched: Touched): Promise<Quarters> {
  const rows = await tx.query<Bucket & { kind: 'holds' | 'calls' }>(BUCKETS_OF, [JSON.stringify(touched.holds), JSON.stringify(touched.calls)]);
  return { holds: rows.filter((r) => r.kind === 'holds'), calls: rows.filter((r) => r.kind === 'calls') };
}

const unique = (buckets: Bucket[]): Bucket[] => {
  const seen = new Map<string, Bucket>();
  for (const b of buckets) seen.set(`${b.portal}\n${b.user_id}\n${new Date(b.bucket).getTime()}`, b);
  return [...seen.values()];
};

/** After the rows changed: each call's first hold, then every quarter the rows left or entered. */
export async function refreshQuarters(tx: Queryable, touched: Touched, before: Quarters): Promise<void> {
  if (touched.calls.length) await tx.query(FIRST_HOLDS, [JSON.stringify(touched.calls)]);
  const after = await quartersOf(tx, touched);
  for (const kind of ['holds', 'calls'] as const) {
    const buckets = unique([...before[kind], ...after[kind]]);
    if (buckets.length === 0) continue;
    const param = [JSON.stringify(buckets.map(({ portal, user_id, bucket }) => ({ portal, user_id, bucket })))];
    for (const sql of [REFRESH[kind], ...SUM_UP[kind]]) await tx.query(sql, param);
  }
}
