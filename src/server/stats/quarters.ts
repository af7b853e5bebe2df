// Keeps the quarter-hour sums right after a change to some holds and calls: find the quarters
// those rows sat in before the change and sit in after it, then recompute exactly those from the
// rows. A handful of set-based statements per transaction, whatever the number of rows.
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
const REFRESH = {
  holds: `
    INSERT INTO hold_quarters
    SELECT b.portal, b.bucket, b.user_id, count(h.hold_seq), count(h.ended_at),
           COALESCE(sum(h.held_ms) FILTER (WHERE h.ended_at IS NOT NULL), 0), COALESCE(max(h.held_ms) FILTER (WHERE h.ended_at IS NOT NULL), 0),
           count(*) FILTER (WHERE h.ended_by IN ('hangup', 'close'))
    FROM ${BUCKETS} LEFT JOIN holds h ON h.portal = b.portal AND h.user_id = b.user_id AND ${IN_BUCKET('h.started_at')} AND NOT h.failed
    GROUP BY b.portal, b.bucket, b.user_id
    ON CONFLICT (portal, bucket, user_id) DO UPDATE SET holds = EXCLUDED.holds, ended = EXCLUDED.ended, held_ms = EXCLUDED.held_ms,
      longest_ms = EXCLUDED.longest_ms, ended_with_call = EXCLUDED.ended_with_call`,
  calls: `
    INSERT INTO call_quarters
    SELECT b.portal, b.bucket, b.user_id,
           (SELECT count(*) FROM calls c WHERE c.portal = b.portal AND c.user_id = b.user_id AND ${IN_BUCKET('c.first_at')}),
           (SELECT count(*) FROM calls c WHERE c.portal = b.portal AND c.user_id = b.user_id AND ${IN_BUCKET('c.first_hold_at')})
    FROM ${BUCKETS}
    ON CONFLICT (portal, bucket, user_id) DO UPDATE SET calls = EXCLUDED.calls, calls_with_holds = EXCLUDED.calls_with_holds`,
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
    if (buckets.length > 0) await tx.query(REFRESH[kind], [JSON.stringify(buckets.map(({ portal, user_id, bucket }) => ({ portal, user_id, bucket })))]);
  }
}
