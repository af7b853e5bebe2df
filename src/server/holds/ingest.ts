// Stores verified batches: each event once per (portal, user, event id), and for each new one the
// rows reports read (holds and calls, keyed by their user: another user's events never touch them),
// noting which quarter-hour sums they moved (the sums themselves are brought up to date after:
// rollups.ts), and its deliveries to the portal's webhooks. One statement per group of batches,
// whatever their size, committed on its own: hold_relay_ingest (migration 011), which takes the events
// as rows of a declared type and applies the rules of hold_relay_apply (013) to the new ones. Events of
// one hold may come in any order and more than once; every rule gives the same hold row whatever the
// order.
import type { Queryable } from '../db/index.ts';
import type { IncomingEvent } from './event-schema.ts';
import { typeRank } from '../../contract/event-order.ts';
import { CONFIRMED_TYPES } from '../../contract/confirm-schedule.ts';
import { bodyOf } from '../webhooks/delivery-body.ts';
import { LIVE_CHANNEL } from './live.ts';
import { arrayLiteral, rowLiteral, type LiteralField } from '../db/row-literal.ts';

/** Who sent a batch, as the portal confirmed it. */
export interface Sender {
  portal: string;
  userId: number;
}

export interface IngestResult {
  stored: number;
  duplicates: number;
  /** Whether a hold began, ended or failed: live views may have changed. */
  holdsChanged: boolean;
}

export interface Batch {
  sender: Sender;
  events: readonly IncomingEvent[];
}

/** A hold clicked before the card named its call is keyed by its user and the moment it began. */
export function callKeyOf(event: IncomingEvent, userId: number): string {
  if (event.data.callId) return event.data.callId;
  const began = Date.parse(event.timestamp) - (event.type === 'hold.ended' ? event.data.heldMs : 0);
  return `~${userId}@${began}`;
}

/** Which hold of its call an event speaks of; a call summary, none (0). */
export const holdSeqOf = (event: IncomingEvent): number => (event.type === 'call.summary' ? 0 : event.data.holdSeq);

/** The fields of hold_relay_hold_row (migration 010), in the order the type declares them. */
export const HOLD_ROW_FIELDS = [
  'portal',
  'call_key',
  'hold_seq',
  'user_id',
  'call_id',
  'crm_entity_type',
  'crm_entity_id',
  'phone_number',
  'line_number',
  'started_at',
  'ended_at',
  'held_ms',
  'ended_by',
] as const;
/** The fields of hold_relay_incoming_event (migration 011), in the order the type declares them. */
export const INCOMING_EVENT_FIELDS = [
  'portal',
  'id',
  'type',
  'user_id',
  'call_key',
  'at',
  'data',
  'hold',
  'hold_seq',
  'type_rank',
  'body',
] as const;

type HoldRecord = Record<(typeof HOLD_ROW_FIELDS)[number], LiteralField>;
type IncomingEventRow = Record<(typeof INCOMING_EVENT_FIELDS)[number], LiteralField>;
/** An event of a group, as it is stored: its batch, call key, and data with the verified identity. */
interface Applied {
  batch: number;
  sender: Sender;
  event: IncomingEvent;
  callKey: string;
  data: IncomingEvent['data'] & { userId: number; domain: string };
}

function holdRecord({ sender, event, callKey }: Applied): HoldRecord {
  const d = event.data;
  const at = Date.parse(event.timestamp);
  const ended = event.type === 'hold.ended';
  return {
    portal: sender.portal,
    call_key: callKey,
    hold_seq: holdSeqOf(event),
    user_id: sender.userId,
    call_id: d.callId,
    crm_entity_type: d.crmEntityType,
    crm_entity_id: d.crmEntityId,
    phone_number: d.phoneNumber,
    line_number: d.lineNumber || null,
    started_at: new Date(ended ? at - event.data.heldMs : at).toISOString(),
    ended_at: ended ? event.timestamp : null,
    held_ms: ended ? event.data.heldMs : null,
    ended_by: ended ? event.data.endedBy : null,
  };
}

/** The event's data as stored: an answer time as the database gives it back (to the millisecond, in UTC). */
function storedData(event: IncomingEvent): IncomingEvent['data'] {
  if (event.type !== 'call.summary' || !event.data.answeredAt) return event.data;
  const at = Date.parse(event.data.answeredAt);
  return { ...event.data, answeredAt: Number.isNaN(at) ? null : new Date(at).toISOString() };
}

/** What a group came to: one result per batch, in order, and the webhook deliveries added. */
export interface GroupOutcome {
  results: IngestResult[];
  queued: number;
  /** Events stored on `day` so far, per portal the group stored events of (for the daily quota). */
  used: Record<string, number>;
}

/** The UTC day of an instant, as the quota counts it. */
export const quotaDayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Stores a group of batches in one statement (atomic on its own, or part of the caller's transaction). */
export async function ingestInto(db: Queryable, batches: readonly Batch[], now = Date.now()): Promise<GroupOutcome> {
  const all: Applied[] = batches.flatMap(({ sender, events }, batch) =>
    events.map((event) => ({
      batch,
      sender,
      event,
      callKey: callKeyOf(event, sender.userId),
      data: { ...storedData(event), userId: sender.userId, domain: sender.portal },
    })),
  );
  if (all.length === 0)
    return { results: batches.map(() => ({ stored: 0, duplicates: 0, holdsChanged: false })), queued: 0, used: {} };
  const events = all.map((applied) => {
    const { sender, event, callKey, data } = applied;
    // As the database gives it back: the instant to the millisecond in UTC.
    const at = new Date(event.timestamp).toISOString();
    const hold = holdRecord(applied);
    const row: IncomingEventRow = {
      portal: sender.portal,
      id: event.id,
      type: event.type,
      user_id: sender.userId,
      call_key: callKey,
      at,
      data: JSON.stringify(data),
      hold: rowLiteral(HOLD_ROW_FIELDS.map((field) => hold[field])),
      hold_seq: holdSeqOf(event),
      type_rank: typeRank(event.type),
      body: bodyOf(event.id, event.type, at, data),
    };
    return rowLiteral(INCOMING_EVENT_FIELDS.map((field) => row[field]));
  });
  const [row] = await db.query<{
    outcome: { fresh: [string, number, string][] | null; queued: number; used?: Record<string, number> };
  }>('SELECT hold_relay_ingest($1::hold_relay_incoming_event[], $2, $3::text[], $4::date) AS outcome', [
    arrayLiteral(events),
    LIVE_CHANNEL,
    arrayLiteral(CONFIRMED_TYPES),
    quotaDayOf(now),
  ]);
  const keyOf = (portal: string, userId: number, id: string) => `${portal}\n${userId}\n${id}`;
  const fresh = new Set((row?.outcome.fresh ?? []).map(([portal, userId, id]) => keyOf(portal, userId, id)));
  // The first copy of a user's new event was applied; later copies (another frame, a retry) are duplicates.
  const applied = all.filter(({ sender, event }) => fresh.delete(keyOf(sender.portal, sender.userId, event.id)));
  const results = batches.map(({ events: sent }, batch) => {
    const mine = applied.filter((a) => a.batch === batch);
    return {
      stored: mine.length,
      duplicates: sent.length - mine.length,
      holdsChanged: mine.some(({ event }) => event.type !== 'call.summary'),
    };
  });
  return { results, queued: row?.outcome.queued ?? 0, used: row?.outcome.used ?? {} };
}

/** Stores one batch: all of it, or (on a database error) none of it. */
export async function ingestEvents(
  db: Queryable,
  sender: Sender,
  events: readonly IncomingEvent[],
): Promise<IngestResult> {
  const {
    results: [result],
  } = await ingestInto(db, [{ sender, events }]);
  return result ?? { stored: 0, duplicates: 0, holdsChanged: false };
}
