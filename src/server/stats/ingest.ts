// Stores a verified batch: each event once per (portal, event id), and for each new one the
// derived rows reports read (holds, calls). Events of one hold may come in any order and more
// than once; every rule below gives the same hold row whatever the order.
import type { Driver, Queryable } from '../db/index.ts';
import type { IncomingEvent } from './event-schema.ts';

/** Who sent the batch, as the portal confirmed it. */
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

/** A hold clicked before the card named its call is keyed by its user and the moment it began. */
export function callKeyOf(event: IncomingEvent, userId: number): string {
  if (event.data.callId) return event.data.callId;
  const began = Date.parse(event.timestamp) - (event.type === 'hold.ended' ? event.data.heldMs : 0);
  return `~${userId}@${began}`;
}

const INSERT_EVENTS = `
  INSERT INTO events (portal, event_id, type, user_id, call_key, occurred_at, data)
  SELECT $1, e.id, e.type, $2, e.call_key, e.at, e.data
  FROM jsonb_to_recordset($3::jsonb) AS e(id text, type text, call_key text, at timestamptz, data jsonb)
  ON CONFLICT (portal, event_id) DO NOTHING
  RETURNING event_id`;

const UPSERT_CALLS = `
  INSERT INTO calls (portal, call_key, user_id, first_at, last_at)
  SELECT $1, c.call_key, $2, c.first_at, c.last_at
  FROM jsonb_to_recordset($3::jsonb) AS c(call_key text, first_at timestamptz, last_at timestamptz)
  ON CONFLICT (portal, call_key) DO UPDATE SET
    first_at = LEAST(calls.first_at, EXCLUDED.first_at),
    last_at = GREATEST(calls.last_at, EXCLUDED.last_at)`;

const HOLD_COLUMNS = 'portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number';
const HOLD_CONTEXT = `
    call_id = COALESCE(holds.call_id, EXCLUDED.call_id),
    crm_entity_type = COALESCE(holds.crm_entity_type, EXCLUDED.crm_entity_type),
    crm_entity_id = COALESCE(holds.crm_entity_id, EXCLUDED.crm_entity_id),
    phone_number = COALESCE(holds.phone_number, EXCLUDED.phone_number)`;

/** hold.started is the authority on when the hold began. */
const HOLD_STARTED = `
  INSERT INTO holds (${HOLD_COLUMNS}, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET started_at = EXCLUDED.started_at, ${HOLD_CONTEXT}`;

/** The latest hold.ended wins (a failed resume is followed by another); the start is derived until hold.started comes. */
const HOLD_ENDED = `
  INSERT INTO holds (${HOLD_COLUMNS}, started_at, ended_at, held_ms, ended_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
  ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET
    started_at = COALESCE(holds.started_at, EXCLUDED.started_at),
    ended_at = CASE WHEN holds.ended_at IS NULL OR EXCLUDED.ended_at > holds.ended_at THEN EXCLUDED.ended_at ELSE holds.ended_at END,
    held_ms = CASE WHEN holds.ended_at IS NULL OR EXCLUDED.ended_at > holds.ended_at THEN EXCLUDED.held_ms ELSE holds.held_ms END,
    ended_by = CASE WHEN holds.ended_at IS NULL OR EXCLUDED.ended_at > holds.ended_at THEN EXCLUDED.ended_by ELSE holds.ended_by END,
    ${HOLD_CONTEXT}`;

/** A failed hold never happened; a failed resume reopens the hold unless a later end came. */
const HOLD_FAILED_START = `
  INSERT INTO holds (${HOLD_COLUMNS}, started_at, failed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true)
  ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET failed = true`;
const HOLD_FAILED_RESUME = `
  UPDATE holds SET ended_at = NULL, held_ms = NULL, ended_by = NULL
  WHERE portal = $1 AND call_key = $2 AND hold_seq = $3 AND ended_at < $4`;

async function applyHold(tx: Queryable, sender: Sender, event: IncomingEvent, callKey: string): Promise<void> {
  if (event.type === 'call.summary') return;
  const d = event.data;
  const keys = [sender.portal, callKey, d.holdSeq];
  const row = [...keys, sender.userId, d.callId, d.crmEntityType, d.crmEntityId, d.phoneNumber];
  const at = new Date(event.timestamp);
  if (event.type === 'hold.started') await tx.query(HOLD_STARTED, [...row, at]);
  else if (event.type === 'hold.ended') {
    await tx.query(HOLD_ENDED, [...row, new Date(at.getTime() - event.data.heldMs), at, event.data.heldMs, event.data.endedBy]);
  } else if (d.held) await tx.query(HOLD_FAILED_RESUME, [...keys, at]);
  else await tx.query(HOLD_FAILED_START, [...row, at]);
}

/** Stores the batch in one transaction: all of it, or (on a database error) none of it. */
export async function ingestEvents(db: Driver, sender: Sender, events: readonly IncomingEvent[]): Promise<IngestResult> {
  if (events.length === 0) return { stored: 0, duplicates: 0, holdsChanged: false };
  const keyed = events.map((event) => ({ event, callKey: callKeyOf(event, sender.userId) }));
  const rows = keyed.map(({ event, callKey }) => ({
    id: event.id,
    type: event.type,
    call_key: callKey,
    at: event.timestamp,
    data: { ...event.data, userId: sender.userId, domain: sender.portal },
  }));
  return db.transaction(async (tx) => {
    const inserted = await tx.query<{ event_id: string }>(INSERT_EVENTS, [sender.portal, sender.userId, JSON.stringify(rows)]);
    const fresh = new Set(inserted.map((row) => row.event_id));
    const calls = new Map<string, { call_key: string; first_at: string; last_at: string }>();
    let holdsChanged = false;
    for (const { event, callKey } of keyed) {
      if (!fresh.delete(event.id)) continue; // a duplicate, or the same id twice in this batch
      await applyHold(tx, sender, event, callKey);
      holdsChanged ||= event.type !== 'call.summary';
      const call = calls.get(callKey);
      if (!call) calls.set(callKey, { call_key: callKey, first_at: event.timestamp, last_at: event.timestamp });
      else {
        if (Date.parse(event.timestamp) < Date.parse(call.first_at)) call.first_at = event.timestamp;
        if (Date.parse(event.timestamp) > Date.parse(call.last_at)) call.last_at = event.timestamp;
      }
    }
    if (calls.size > 0) await tx.query(UPSERT_CALLS, [sender.portal, sender.userId, JSON.stringify([...calls.values()])]);
    return { stored: inserted.length, duplicates: events.length - inserted.length, holdsChanged };
  });
}
