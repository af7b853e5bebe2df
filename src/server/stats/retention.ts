// Forgetting: data older than the retention period, and all of one portal's statistics on request.
import type { Queryable } from '../db/index.ts';

export interface Deleted {
  events: number;
  holds: number;
  calls: number;
  placementErrors: number;
}

const count = async (db: Queryable, sql: string, params: readonly unknown[]): Promise<number> =>
  (await db.query<{ n: number }>(`WITH gone AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`, params))[0]?.n ?? 0;

/** Deletes everything that happened before `before` (holds by when they began, calls by their last event). */
export async function purgeBefore(db: Queryable, before: Date): Promise<Deleted> {
  return {
    events: await count(db, 'DELETE FROM events WHERE occurred_at < $1', [before]),
    holds: await count(db, 'DELETE FROM holds WHERE COALESCE(started_at, ended_at) < $1', [before]),
    calls: await count(db, 'DELETE FROM calls WHERE last_at < $1', [before]),
    placementErrors: await count(db, 'DELETE FROM placement_errors WHERE received_at < $1', [before]),
  };
}

/** Deletes all of one portal's statistics. */
export async function deletePortal(db: Queryable, portal: string): Promise<Deleted> {
  return {
    events: await count(db, 'DELETE FROM events WHERE portal = $1', [portal]),
    holds: await count(db, 'DELETE FROM holds WHERE portal = $1', [portal]),
    calls: await count(db, 'DELETE FROM calls WHERE portal = $1', [portal]),
    placementErrors: await count(db, 'DELETE FROM placement_errors WHERE portal = $1', [portal]),
  };
}

export const DAY_MS = 86_400_000;

/** Purges now and then once a day; returns the stop function. Failures are reported, never thrown. */
export function scheduleRetention(db: Queryable, days: number, report: (outcome: Deleted | Error) => void): () => void {
  const run = (): void => {
    purgeBefore(db, new Date(Date.now() - days * DAY_MS)).then(report, (error: unknown) => report(error instanceof Error ? error : new Error(String(error))));
  };
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
