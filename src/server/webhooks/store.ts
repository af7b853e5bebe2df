// The portal's webhooks as rows: created with a fresh secret, listed without secrets, rotated,
// deleted. Every query names the portal, so one portal's admin never reaches another's rows.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import type { HoldEventType } from '../../hold/types.ts';
import { generateSecret } from './secret.ts';

export const MAX_WEBHOOKS_PER_PORTAL = 10;
/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_GRACE_MS = 24 * 3600_000;

export interface WebhookSettings {
  url: string;
  on: HoldEventType[];
  confirm: boolean;
  timeoutMs: number;
  maxAgeMs: number;
}

/** What an admin sees: never a secret. */
export interface WebhookView extends WebhookSettings {
  id: string;
  createdAt: string;
  /** Until when a rotated-out secret still signs, or null. */
  previousSecretUntil: string | null;
  /** Set when the receiver answered 410 Gone. */
  stopped: { at: string; reason: string } | null;
  /** Deliveries waiting to be sent. */
  pending: number;
  /** The most that may wait (WEBHOOKS_MAX_PENDING). */
  maxPending: number;
  /** Whether the queue is full: new deliveries are not queued until the receiver catches up. */
  capped: boolean;
  /** Deliveries not queued because the queue was full, since the webhook was made. */
  notQueued: number;
}

/** A webhook as the sender needs it: with the secrets that sign now. */
export interface WebhookTarget {
  id: string;
  portal: string;
  url: string;
  confirm: boolean;
  timeoutMs: number;
  secrets: string[];
  stopped: boolean;
}

const VIEW = `id, url, event_types AS "on", confirm, timeout_ms::int AS "timeoutMs", max_age_ms::float8 AS "maxAgeMs",
  COALESCE(s.pending, 0) AS pending, hold_relay_webhook_max_pending() AS "maxPending",
  COALESCE(s.pending, 0) >= hold_relay_webhook_max_pending() AS capped, COALESCE(s.not_queued, 0)::float8 AS "notQueued",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  CASE WHEN previous_until > now() THEN to_char(previous_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END AS "previousSecretUntil",
  CASE WHEN stopped_at IS NOT NULL THEN json_build_object('at', to_char(stopped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'reason', stopped_reason) END AS stopped`;

const TARGET = `id, portal, url, confirm, timeout_ms::int AS "timeoutMs", stopped_at IS NOT NULL AS stopped,
  CASE WHEN previous_until > now() THEN ARRAY[secret, previous_secret] ELSE ARRAY[secret] END AS secrets`;

export async function listWebhooks(db: Queryable, portal: string): Promise<WebhookView[]> {
  return db.query<WebhookView>(
    `SELECT ${VIEW} FROM webhooks LEFT JOIN webhook_queue_sizes s ON s.webhook_id = webhooks.id WHERE portal = $1 ORDER BY created_at, id`,
    [portal],
  );
}

export type Created = { ok: true; id: string; secret: string } | { ok: false; error: string };

export async function createWebhook(
  db: Queryable,
  portal: string,
  userId: number,
  settings: WebhookSettings,
): Promise<Created> {
  const id = `wh_${randomBytes(12).toString('base64url')}`;
  const secret = generateSecret();
  // One statement: the count and the insert see the same rows, so concurrent creates cannot pass the limit together.
  const rows = await db.query<{ id: string }>(
    `INSERT INTO webhooks (id, portal, url, event_types, confirm, timeout_ms, max_age_ms, secret, created_by)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
     WHERE (SELECT count(*) FROM webhooks WHERE portal = $2) < $10
     RETURNING id`,
    [
      id,
      portal,
      settings.url,
      settings.on,
      settings.confirm,
      settings.timeoutMs,
      settings.maxAgeMs,
      secret,
      userId,
      MAX_WEBHOOKS_PER_PORTAL,
    ],
  );
  return rows.length === 1
    ? { ok: true, id, secret }
    : { ok: false, error: `a portal has at most ${MAX_WEBHOOKS_PER_PORTAL} webhooks` };
}

/** A new secret; the current one keeps signing for the grace period. Null when there is no such webhook. */
export async function rotateSecret(
  db: Queryable,
  portal: string,
  id: string,
  graceMs = ROTATION_GRACE_MS,
): Promise<{ secret: string; previousSecretUntil: string } | null> {
  const secret = generateSecret();
  const rows = await db.query<{ until: string }>(
    `UPDATE webhooks SET previous_secret = secret, secret = $3, previous_until = now() + make_interval(secs => $4::float8 / 1000)
     WHERE portal = $1 AND id = $2
     RETURNING to_char(previous_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS until`,
    [portal, id, secret, graceMs],
  );
  return rows[0] ? { secret, previousSecretUntil: rows[0].until } : null;
}

export async function deleteWebhook(db: Queryable, portal: string, id: string): Promise<boolean> {
  return (await db.query('DELETE FROM webhooks WHERE portal = $1 AND id = $2 RETURNING id', [portal, id])).length === 1;
}

export async function webhookExists(db: Queryable, portal: string, id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM webhooks WHERE portal = $1 AND id = $2', [portal, id])).length === 1;
}

export async function targetsById(db: Queryable, ids: readonly string[]): Promise<Map<string, WebhookTarget>> {
  const rows = await db.query<WebhookTarget>(`SELECT ${TARGET} FROM webhooks WHERE id = ANY($1::text[])`, [ids]);
  return new Map(rows.map((row) => [row.id, row]));
}

/** The portal's confirming webhooks that take `type`. */
export async function confirmTargets(db: Queryable, portal: string, type: string): Promise<WebhookTarget[]> {
  return db.query<WebhookTarget>(
    `SELECT ${TARGET} FROM webhooks WHERE portal = $1 AND confirm AND $2 = ANY(event_types) AND stopped_at IS NULL ORDER BY created_at, id`,
    [portal, type],
  );
}

export async function stopWebhook(db: Queryable, id: string, reason: string): Promise<void> {
  await db.query('UPDATE webhooks SET stopped_at = now(), stopped_reason = $2 WHERE id = $1 AND stopped_at IS NULL', [
    id,
    reason,
  ]);
}
