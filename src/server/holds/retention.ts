// Forgetting: data older than the retention period, and all of one portal's statistics on request,
// each in one transaction with their sums.
import type { Driver, Queryable } from '../db/index.ts';
import { DERIVED_TABLES, STALE_QUARTERS } from './rollups.ts';

export interface Deleted {
  events: number;
  holds: number;
  calls: number;
  placementErrors: number;
  /** Webhook deliveries (their bodies and attempts): deleting a portal's data only. */
  webhookDeliveries?: number;
}

export const DAY_MS = 86_400_000;

const count = async (db: Queryable, sql: string, params: readonly unknown[]): Promise<number> =>
  (await db.query<{ n: number }>(`WITH gone AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`, params))[0]
    ?.n ?? 0;

/**
 * Deletes what happened before `before` (cut to a UTC midnight): holds by when they began, calls by
 * their last event. One portal per transaction, each delete an index range, so ingest goes on between.
 */
export async function purgeBefore(db: Driver, before: Date): Promise<Deleted> {
  const cutoff = new Date(Math.floor(before.getTime() / DAY_MS) * DAY_MS);
  const portals = await db.query<{ portal: string }>(
    `SELECT portal FROM hold_days UNION SELECT portal FROM call_days UNION SELECT portal FROM portal_quarters UNION SELECT portal FROM ${STALE_QUARTERS}`,
  );
  const total: Deleted = { events: 0, holds: 0, calls: 0, placementErrors: 0 };
  for (const { portal } of portals) {
    await db.transaction(async (tx) => {
      // No refresh may rewrite the sums between these deletes.
      await tx.query('SELECT hold_relay_lock_sums($1)', [portal]);
      for (const table of DERIVED_TABLES)
        await tx.query(`DELETE FROM ${table} WHERE portal = $1 AND bucket < $2`, [portal, cutoff]);
      total.holds += await count(tx, 'DELETE FROM holds WHERE portal = $1 AND started_at < $2', [portal, cutoff]);
      total.calls += await count(tx, 'DELETE FROM calls WHERE portal = $1 AND first_at < $2 AND last_at < $2', [
        portal,
        cutoff,
      ]);
    });
  }
  total.events = await count(db, 'DELETE FROM events WHERE occurred_at < $1', [cutoff]);
  total.placementErrors = await count(db, 'DELETE FROM placement_errors WHERE received_at < $1', [cutoff]);
  // The daily quota needs today's count only (yesterday's is kept for a server whose clock is behind).
  await db.query("DELETE FROM event_quota WHERE day < (now() AT TIME ZONE 'UTC')::date - 1");
  return total;
}

/**
 * Deletes all of one portal's statistics, and its webhooks' deliveries: the bodies carry the events
 * (phone numbers included) and their attempts the receivers' answers, and "Send again" must have
 * nothing left to send. The webhooks themselves stay.
 */
export async function deletePortal(db: Driver, portal: string): Promise<Deleted> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT hold_relay_lock_sums($1)', [portal]);
    for (const table of DERIVED_TABLES) await tx.query(`DELETE FROM ${table} WHERE portal = $1`, [portal]);
    return {
      events: await count(tx, 'DELETE FROM events WHERE portal = $1', [portal]),
      holds: await count(tx, 'DELETE FROM holds WHERE portal = $1', [portal]),
      calls: await count(tx, 'DELETE FROM calls WHERE portal = $1', [portal]),
      placementErrors: await count(tx, 'DELETE FROM placement_errors WHERE portal = $1', [portal]),
      // Their attempts go with them (ON DELETE CASCADE).
      webhookDeliveries: await count(
        tx,
        'DELETE FROM webhook_deliveries d USING webhooks w WHERE w.id = d.webhook_id AND w.portal = $1',
        [portal],
      ),
    };
  });
}

/** Purges now and then once a day; returns the stop function. Failures are reported, never thrown. */
export function scheduleRetention(db: Driver, days: number, report: (outcome: Deleted | Error) => void): () => void {
  const run = (): void => {
    purgeBefore(db, new Date(Date.now() - days * DAY_MS)).then(report, (error: unknown) =>
      report(error instanceof Error ? error : new Error(String(error))),
    );
  };
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
