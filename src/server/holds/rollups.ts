// The sums reports read, kept beside the rows. Ingest notes which quarters it moved
// (stale_quarters); refreshSums brings them up to date (migration 004), in short statements so
// ingest goes on between; rebuildRollups recomputes all of a portal's sums at once, after a bulk
// load (the benchmark's seed) or to repair them.
import type { Driver, Queryable } from '../db/index.ts';

/** Every table of sums, each keyed by portal and a `bucket` (a quarter hour or a UTC day). */
export const ROLLUPS = ['hold_quarters', 'hold_days', 'portal_quarters', 'call_quarters', 'call_days'] as const;
/** The quarters waiting for a refresh, keyed the same way. */
export const STALE_QUARTERS = 'stale_quarters';
/** The rollups and the stale quarters: whatever forgets a portal's rows forgets these with them. */
export const DERIVED_TABLES = [...ROLLUPS, STALE_QUARTERS] as const;

/** Stale quarters one statement recomputes at most: a few milliseconds on the embedded database. */
export const REFRESH_CHUNK = 6;

/** Statements one refresh runs at most, however fast ingest notes new quarters meanwhile; the rest wait for the next. */
const MAX_CHUNKS = 500;

/** Brings one portal's sums up to date; resolves to the stale quarters it recomputed. */
export async function refreshSums(db: Queryable, portal: string): Promise<number> {
  let total = 0;
  for (let chunk = 0; chunk < MAX_CHUNKS; chunk++) {
    const [row] = await db.query<{ taken: number }>('SELECT hold_relay_refresh($1, $2) AS taken', [portal, REFRESH_CHUNK]);
    const taken = row?.taken ?? 0;
    if (taken === 0) break;
    total += taken;
  }
  return total;
}

/** Brings every portal's sums up to date; resolves to the stale quarters it recomputed. */
export async function refreshAllSums(db: Queryable): Promise<number> {
  const portals = await db.query<{ portal: string }>(`SELECT DISTINCT portal FROM ${STALE_QUARTERS}`);
  let total = 0;
  for (const { portal } of portals) total += await refreshSums(db, portal);
  return total;
}

export async function rebuildRollups(db: Driver, portal: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT hold_relay_lock_sums($1)', [portal]);
    for (const table of DERIVED_TABLES) await tx.query(`DELETE FROM ${table} WHERE portal = $1`, [portal]);
    await tx.query(
      `UPDATE calls c SET first_hold_at = h.first_hold_at
       FROM (SELECT user_id, call_key, min(started_at) AS first_hold_at FROM holds WHERE portal = $1 AND NOT failed GROUP BY user_id, call_key) h
       WHERE c.portal = $1 AND c.user_id = h.user_id AND c.call_key = h.call_key`,
      [portal],
    );
    await tx.query(
      `INSERT INTO hold_quarters
       SELECT portal, quarter_of(started_at), user_id, count(*), count(ended_at),
              COALESCE(sum(held_ms) FILTER (WHERE ended_at IS NOT NULL), 0), COALESCE(max(held_ms) FILTER (WHERE ended_at IS NOT NULL), 0),
              count(*) FILTER (WHERE ended_by IN ('hangup', 'close'))
       FROM holds WHERE portal = $1 AND NOT failed AND started_at IS NOT NULL GROUP BY 1, 2, 3`,
      [portal],
    );
    await tx.query(
      `INSERT INTO call_quarters
       SELECT $1, bucket, user_id, sum(calls), sum(with_holds) FROM (
         SELECT quarter_of(first_at) AS bucket, user_id, 1 AS calls, 0 AS with_holds FROM calls WHERE portal = $1
         UNION ALL
         SELECT quarter_of(first_hold_at), user_id, 0, 1 FROM calls WHERE portal = $1 AND first_hold_at IS NOT NULL
       ) AS x GROUP BY bucket, user_id`,
      [portal],
    );
    await tx.query(
      `INSERT INTO hold_days SELECT portal, day_of(bucket), user_id, sum(holds), sum(ended), sum(held_ms), max(longest_ms), sum(ended_with_call)
       FROM hold_quarters WHERE portal = $1 GROUP BY 1, 2, 3`,
      [portal],
    );
    await tx.query('INSERT INTO portal_quarters SELECT portal, bucket, sum(holds), sum(held_ms) FROM hold_quarters WHERE portal = $1 GROUP BY 1, 2', [portal]);
    await tx.query('INSERT INTO call_days SELECT portal, day_of(bucket), user_id, sum(calls), sum(calls_with_holds) FROM call_quarters WHERE portal = $1 GROUP BY 1, 2, 3', [portal]);
  });
}
