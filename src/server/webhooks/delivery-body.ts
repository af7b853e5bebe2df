// What a webhook receiver gets for a stored event, and where it sits in its call's order: written
// once, used by ingest (which queues new events in the statement that stores them) and by the
// queue (which reads a stored event back for /api/confirm and records its answer in the log).
import { createHash } from 'node:crypto';

/** A delivery's chain: the events of one user's call, sent in order (as hold_relay_ingest keys them). */
export const chainKeyOf = (userId: number, callKey: string): string => `${userId}\n${callKey}`;

/**
 * The `webhook-id` of a stored event: one per (portal, user, event id), the same on every attempt,
 * so a receiver that drops duplicates by it never drops one user's event for another's of the same id.
 */
export const webhookIdOf = (portal: string, userId: number, eventId: string): string =>
  `msg_${createHash('sha256').update(`${portal}\n${userId}\n${eventId}`).digest('base64url').slice(0, 32)}`;

/** The event as stored, marked as checked by the server; `timestamp` as the database gives it back (UTC, to the millisecond). */
export const bodyOf = (id: string, type: string, timestamp: string, data: unknown): string =>
  JSON.stringify({ id, type, timestamp, data, verified: true });
