// The delivery queue in the statistics database: one row per event and receiver, claimed with
// FOR UPDATE SKIP LOCKED and a lease, so several server instances on one PostgreSQL (or the one
// process on the embedded database) send each row once; a call's later events wait for its
// earlier ones, per receiver.
import type { DeliveryStatus, DeliveryView } from '../../contract/api.ts';
import type { Queryable } from '../db/index.ts';
import { typeRank } from '../../contract/event-order.ts';
import { bodyOf, chainKeyOf } from './delivery-body.ts';

export type { DeliveryStatus };

/** A claimed row, ready to send. */
export interface Claimed {
  id: string;
  webhookId: string;
  /** Whose event it is: with the webhook's portal and the event id, it names the webhook-id. */
  userId: number;
  eventId: string;
  body: string;
  attempts: number;
}

/** One stored event, as receivers get it. */
export interface StoredEvent {
  userId: number;
  eventId: string;
  type: string;
  callKey: string;
  occurredAt: string;
  holdSeq: number;
  body: string;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One user's events as stored, with the identity the portal confirmed (`data.userId`, `data.domain`)
 * and `verified: true`: the body every receiver gets, whichever of the user's frames sent it first.
 */
export async function storedEvents(
  db: Queryable,
  portal: string,
  userId: number,
  eventIds: readonly string[],
): Promise<StoredEvent[]> {
  const rows = await db.query<{
    event_id: string;
    type: string;
    call_key: string | null;
    at: string;
    data: Record<string, unknown>;
  }>(
    `SELECT event_id, type, call_key, ${ISO('occurred_at')} AS at, data FROM events WHERE portal = $1 AND user_id = $2 AND event_id = ANY($3::text[])`,
    [portal, userId, eventIds],
  );
  return rows.map((row) => ({
    userId,
    eventId: row.event_id,
    type: row.type,
    callKey: row.call_key ?? '',
    occurredAt: row.at,
    holdSeq: Number(row.data.holdSeq ?? 0) || 0,
    body: bodyOf(row.event_id, row.type, row.at, row.data),
  }));
}

/**
 * The time the queue's statements take as now: the database's own (null), or a test's clock. Every
 * instance on one database takes the database's, so their clocks never disagree about a lease.
 */
export type QueueNow = Date | null;
const NOW = (param: string) => `COALESCE(${param}::timestamptz, now())`;

/** Pending rows older than their webhook's maxAgeMs are given up: resolves to them, for the log. */
export async function expireOld(db: Queryable, at: QueueNow = null): Promise<{ webhookId: string; eventId: string }[]> {
  return db.query(
    `UPDATE webhook_deliveries d SET status = 'expired', locked_until = NULL, lease_token = NULL,
       last_error = 'older than maxAgeMs (' || w.max_age_ms || ' ms): given up'
     FROM webhooks w
     WHERE w.id = d.webhook_id AND d.status = 'pending' AND (d.locked_until IS NULL OR d.locked_until < ${NOW('$1')})
       AND d.occurred_at < ${NOW('$1')} - make_interval(secs => w.max_age_ms / 1000.0)
     RETURNING d.webhook_id AS "webhookId", d.event_id AS "eventId"`,
    [at],
  );
}

/** Whether no earlier row of `d`'s call waits for the same receiver (a marked head may have lost its place a moment ago). */
const FIRST_OF_CALL = (d: string) => `NOT EXISTS (
  SELECT 1 FROM webhook_deliveries e
  WHERE e.webhook_id = ${d}.webhook_id AND e.call_key = ${d}.call_key AND e.status = 'pending'
    AND (e.occurred_at, e.hold_seq, e.type_rank, e.id) < (${d}.occurred_at, ${d}.hold_seq, ${d}.type_rank, ${d}.id))`;

/** Due heads of each webhook that is not stopped, at most `$1` each, at `$4` (an index range per webhook: no row that waits is read). */
const DUE_HEADS = `SELECT h.id FROM webhooks w CROSS JOIN LATERAL (
    SELECT h.id FROM webhook_deliveries h
    WHERE h.webhook_id = w.id AND h.status = 'pending' AND h.is_head AND h.next_attempt_at <= ${NOW('$4')}
      AND (h.locked_until IS NULL OR h.locked_until < ${NOW('$4')}) AND ${FIRST_OF_CALL('h')}
    ORDER BY h.next_attempt_at, h.id
    LIMIT $1) h
  WHERE w.stopped_at IS NULL`;

/**
 * Claims up to `limit` due rows for `leaseMs`: only the first pending row of each call and receiver
 * (the chain's head, migration 007), never a row another instance holds (locked now, or leased and
 * not yet expired).
 */
export async function claimDue(
  db: Queryable,
  limit: number,
  leaseMs: number,
  token: string,
  at: QueueNow = null,
): Promise<Claimed[]> {
  if (limit <= 0) return [];
  return db.query<Claimed>(
    `WITH due AS (
       SELECT d.id FROM webhook_deliveries d
       WHERE d.id IN (${DUE_HEADS}) AND d.status = 'pending' AND (d.locked_until IS NULL OR d.locked_until < ${NOW('$4')})
       ORDER BY d.next_attempt_at, d.id
       LIMIT $1
       FOR UPDATE OF d SKIP LOCKED)
     UPDATE webhook_deliveries d SET locked_until = ${NOW('$4')} + make_interval(secs => $2::float8 / 1000), lease_token = $3
     FROM due WHERE d.id = due.id
     RETURNING d.id::text AS id, d.webhook_id AS "webhookId", d.user_id AS "userId", d.event_id AS "eventId", d.body, d.attempts`,
    [limit, leaseMs, token, at],
  );
}

/**
 * In how many ms the next row comes due that a claim could take (0: one is due now), or null when
 * none waits: rows sent by another instance and rows behind their call's head are not counted.
 */
export async function nextDueInMs(db: Queryable, at: QueueNow = null): Promise<number | null> {
  const [row] = await db.query<{ ms: number | null }>(
    `SELECT (CASE WHEN min(h.next_attempt_at) IS NOT NULL THEN GREATEST(0, ceil(EXTRACT(EPOCH FROM (min(h.next_attempt_at) - ${NOW('$1')})) * 1000)) END)::float8 AS ms
     FROM webhooks w CROSS JOIN LATERAL (
       SELECT h.next_attempt_at FROM webhook_deliveries h
       WHERE h.webhook_id = w.id AND h.status = 'pending' AND h.is_head
         AND (h.locked_until IS NULL OR h.locked_until < ${NOW('$1')}) AND ${FIRST_OF_CALL('h')}
       ORDER BY h.next_attempt_at, h.id
       LIMIT 1) h
     WHERE w.stopped_at IS NULL`,
    [at],
  );
  return row?.ms ?? null;
}

export interface Outcome {
  status: DeliveryStatus;
  /** From now, when status stays pending. */
  retryInMs: number;
  httpStatus: number | null;
  error: string | null;
  answer: string | null;
  durationMs: number;
}

/** Records one attempt of a claimed row; false when the lease was lost meanwhile (another instance has it). */
export async function recordAttempt(
  db: Queryable,
  id: string,
  token: string,
  outcome: Outcome,
  at: QueueNow = null,
): Promise<boolean> {
  const rows = await db.query(
    `WITH d AS (
       UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1,
         next_attempt_at = ${NOW('$9')} + make_interval(secs => $4::float8 / 1000), locked_until = NULL, lease_token = NULL,
         last_attempt_at = ${NOW('$9')}, last_status = $5, last_error = $6,
         delivered_at = CASE WHEN $3 = 'delivered' THEN ${NOW('$9')} ELSE delivered_at END
       WHERE id = $1::bigint AND lease_token = $2
       RETURNING id)
     INSERT INTO webhook_attempts (delivery_id, status, error, answer, duration_ms)
     SELECT id, $5, $6, $7, $8 FROM d RETURNING delivery_id`,
    [
      id,
      token,
      outcome.status,
      outcome.retryInMs,
      outcome.httpStatus,
      outcome.error,
      outcome.answer,
      outcome.durationMs,
      at,
    ],
  );
  return rows.length === 1;
}

/** Gives claimed rows back untried (the server is closing): another instance, or the next start, sends them. */
export async function releaseClaims(db: Queryable, token: string): Promise<void> {
  await db.query('UPDATE webhook_deliveries SET locked_until = NULL, lease_token = NULL WHERE lease_token = $1', [
    token,
  ]);
}

/** Records a confirming webhook's answer to /api/confirm as a finished row of its log. */
export async function recordConfirmed(
  db: Queryable,
  webhookId: string,
  event: StoredEvent,
  outcome: Outcome,
): Promise<void> {
  await db.query(
    `WITH d AS (
       INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, call_key, occurred_at, hold_seq, type_rank, body,
         status, attempts, last_attempt_at, last_status, last_error, delivered_at, user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, now(), $10, $11, CASE WHEN $9 = 'delivered' THEN now() END, $14)
       ON CONFLICT (webhook_id, user_id, event_id) DO UPDATE SET status = EXCLUDED.status, attempts = webhook_deliveries.attempts + 1,
         last_attempt_at = now(), last_status = EXCLUDED.last_status, last_error = EXCLUDED.last_error,
         delivered_at = COALESCE(webhook_deliveries.delivered_at, EXCLUDED.delivered_at)
       RETURNING id)
     INSERT INTO webhook_attempts (delivery_id, status, error, answer, duration_ms) SELECT id, $10, $11, $12, $13 FROM d`,
    [
      webhookId,
      event.eventId,
      event.type,
      chainKeyOf(event.userId, event.callKey),
      event.occurredAt,
      event.holdSeq,
      typeRank(event.type),
      event.body,
      outcome.status,
      outcome.httpStatus,
      outcome.error,
      outcome.answer,
      outcome.durationMs,
      event.userId,
    ],
  );
}

/**
 * How a confirming webhook answered this user's event before, if it was asked: `null` when it
 * carried it out, the reason when it did not; `undefined` when it was never asked.
 */
export async function confirmedBefore(
  db: Queryable,
  webhookId: string,
  userId: number,
  eventId: string,
): Promise<string | null | undefined> {
  const [row] = await db.query<{ status: DeliveryStatus; last_error: string | null }>(
    `SELECT status, last_error FROM webhook_deliveries WHERE webhook_id = $1 AND user_id = $2 AND event_id = $3 AND status <> 'pending'`,
    [webhookId, userId, eventId],
  );
  if (!row) return undefined;
  return row.status === 'delivered' ? null : (row.last_error ?? 'not confirmed');
}

export type { DeliveryView };

/** The webhook's latest rows (pending ones first), for the delivery log. */
export async function listDeliveries(
  db: Queryable,
  portal: string,
  webhookId: string,
  limit: number,
): Promise<DeliveryView[]> {
  return db.query<DeliveryView>(
    `SELECT d.id::text AS id, d.event_id AS "eventId", d.event_type AS type, d.status, d.attempts,
       ${ISO('d.created_at')} AS "createdAt", ${ISO('d.last_attempt_at')} AS "lastAttemptAt",
       d.last_status AS "lastStatus", d.last_error AS "lastError",
       CASE WHEN d.status = 'pending' THEN ${ISO('d.next_attempt_at')} END AS "nextAttemptAt",
       ${ISO('d.delivered_at')} AS "deliveredAt",
       COALESCE((SELECT json_agg(json_build_object('at', ${ISO('a.at')}, 'status', a.status, 'error', a.error, 'answer', a.answer, 'durationMs', a.duration_ms) ORDER BY a.at DESC)
         FROM (SELECT * FROM webhook_attempts WHERE delivery_id = d.id ORDER BY at DESC LIMIT 5) a), '[]'::json) AS recent
     FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
     WHERE w.portal = $1 AND d.webhook_id = $2
     ORDER BY (d.status = 'pending') DESC, d.created_at DESC, d.id DESC
     LIMIT $3`,
    [portal, webhookId, limit],
  );
}

/**
 * "Send again": the row is due now, with a fresh count of tries (delivered ones go out once more,
 * with the same webhook-id). A webhook stopped by 410 Gone starts again. False when there is no such row.
 */
export async function retryDelivery(
  db: Queryable,
  portal: string,
  webhookId: string,
  deliveryId: string,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now()
     FROM webhooks w
     WHERE w.id = d.webhook_id AND w.portal = $1 AND d.webhook_id = $2 AND d.id = $3::bigint
       AND (d.locked_until IS NULL OR d.locked_until < now())
     RETURNING d.id`,
    [portal, webhookId, deliveryId],
  );
  if (rows.length === 0) return false;
  await db.query('UPDATE webhooks SET stopped_at = NULL, stopped_reason = NULL WHERE id = $1', [webhookId]);
  return true;
}

/** Forgets finished rows and attempts older than `keepMs`. */
export async function pruneFinished(db: Queryable, keepMs: number): Promise<void> {
  await db.query(`DELETE FROM webhook_attempts WHERE at < now() - make_interval(secs => $1::float8 / 1000)`, [keepMs]);
  await db.query(
    `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < now() - make_interval(secs => $1::float8 / 1000)`,
    [keepMs],
  );
}
