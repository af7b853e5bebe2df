// The sums reports read, kept beside the rows. Ingest notes which quarters it moved
// (stale_quarters); refreshSums brings them up to date (migrations 004 and 010), in short statements so
// ingest goes on between; rebuildRollups recomputes all of a portal's sums at once, after a bulk
// load (the benchmark's seed) or to repair them.
import type { Driver, Queryable } from '../db/index.ts';

/** Every table of sums, each keyed by portal and a `bucket` (a quarter hour or a UTC day), most by a line too. */
export const ROLLUPS = [
  'hold_quarters',
  'hold_days',
  'hold_user_days',
  'hold_line_days',
  'portal_quarters',
  'call_quarters',
  'call_days',
] as const;
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
    const [row] = await db.query<{ taken: number }>('SELECT hold_relay_refresh($1, $2) AS taken', [
      portal,
      REFRESH_CHUNK,
    ]);
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

/** Recomputes all of a portal's sums from its rows (hold_relay_rebuild, migration 012: the same sums the refresh adds up). */
export async function rebuildRollups(db: Driver, portal: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT hold_relay_rebuild($1)', [portal]);
  });
}
