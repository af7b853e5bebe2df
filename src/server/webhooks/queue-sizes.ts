// How full each webhook's queue may be: pending rows are counted by the database as they come and go
// (migration 007), and beyond the cap new deliveries are not queued. The server writes the cap at
// start; the log reads which webhooks hit it (the app page reads the counts with the webhooks).
import type { Queryable } from '../db/index.ts';

/** The default cap on a webhook's pending deliveries (WEBHOOKS_MAX_PENDING). */
export const DEFAULT_MAX_PENDING = 10_000;

/** Sets the cap every server on this database applies (the last one started wins). */
export async function setMaxPending(db: Queryable, maxPending: number): Promise<void> {
  await db.query(
    `INSERT INTO hold_relay_settings (name, value) VALUES ('webhook_max_pending', $1)
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
    [String(maxPending)],
  );
}

export async function maxPending(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT hold_relay_webhook_max_pending() AS n');
  return row?.n ?? DEFAULT_MAX_PENDING;
}

export interface Capped {
  webhookId: string;
  url: string;
  pending: number;
  notQueued: number;
}

/** Webhooks that left deliveries unqueued within the last `withinMs`, for the log. */
export async function recentlyCapped(db: Queryable, withinMs: number): Promise<Capped[]> {
  return db.query<Capped>(
    `SELECT s.webhook_id AS "webhookId", w.url, s.pending, s.not_queued::float8 AS "notQueued"
     FROM webhook_queue_sizes s JOIN webhooks w ON w.id = s.webhook_id
     WHERE s.capped_at > now() - make_interval(secs => $1::float8 / 1000)
     ORDER BY s.webhook_id`,
    [withinMs],
  );
}
