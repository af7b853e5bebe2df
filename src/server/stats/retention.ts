// Forgetting: data older than the retention period, and all of one portal's statistics on request,
// each in one transaction with their sums.
import type { Driver, Queryable } from '../db/index.ts';
import { ROLLUPS } from './rollups.ts';

export interface Deleted {
  events: number;
  holds: number;
  calls: number;
  placementErrors: number;
}

export const DAY_MS = 86_400_000;

const count = async (db: Queryable, sql: string, params: readonly unknown[]): Promise<number> =>
  (await db.query<{ n: number }>(`WITH gone AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`, params))[0]?.n ?? 0;

/** Deletes what happened before `before` (cut to a UTC midnight): holds by when they began, calls by their last event. */
export async function purgeBefore(db: Driver, before: Date): Promise<Deleted> {
  const cutoff = new Date(Math.floor(before.getTime() / DAY_MS) * DAY_MS);
  return db.transaction(async (tx) => {
    for (const table of ROLLUPS) await tx.query(`DELETE FROM ${table} WHERE bucket < $1`, [cutoff]);
    return {
      events: await count(tx, 'DELETE FROM events WHERE occurred_at < $1', [cutoff]),
      holds: await count(tx, 'DELETE FROM holds WHERE COALESCE(started_at, ended_at) < $1', [cutoff]),
      calls: await count(tx, 'DELETE FROM calls WHERE last_at < $1', [cutoff]),
      placementErrors: await count(tx, 'DELETE FROM placement_errors WHERE received_at < $1', [cutoff]),
    };
  });
}

/** Deletes all of one portal's statistics. */
export async function deletePortal(db: Driver, portal: string): Promise<Deleted> {
  return db.transaction(async (tx) => {
    for (const table of ROLLUPS) await tx.query(`DELETE FROM ${table} WHERE portal = $1`, [portal]);
    return {
      events: await count(tx, 'DELETE FROM events WHERE portal = $1', [portal]),
      holds: await count(tx, 'DELETE FROM holds WHERE portal = $1', [portal]),
      calls: await count(tx, 'DELETE FROM calls WHERE portal = $1', [portal]),
      placementErrors: await count(tx, 'DELETE FROM placement_errors WHERE portal = $1', [portal]),
    };
  });
}

/** Purges now and then once a day; returns the stop function. Failures are reported, never thrown. */
export function scheduleRetention(db: Driver, days: number, report: (outcome: Deleted | Error) => void): () => void {
  const run = (): void => {
    purgeBefore(db, new Date(Date.now() - days * DAY_MS)).then(report, (error: unknown) => report(error instanceof Error ? error : new Error(String(error))));
  };
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
