// Stores verified batches: each event once per (portal, event id), and for each new one the rows
// reports read (holds and calls), noting which quarter-hour sums they moved (the sums themselves
// are brought up to date after: rollups.ts). Two statements per group of batches, whatever their
// size: the events, then everything they change in one call of hold_relay_apply (migrations 004
// and 006, where the rules are written). Events of one hold may come in any order and more than
// once; every rule gives the same hold row whatever the order.
import type { Queryable } from '../db/index.ts';
import type { IncomingEvent } from './event-schema.ts';
import { LIVE_CHANNEL } from './live.ts';

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

/** An event a group stored for the first time, as stored: its call key, and its data with the verified identity. */
export interface FreshEvent {
  sender: Sender;
  event: IncomingEvent;
  callKey: string;
  data: IncomingEvent['data'] & { userId: number; domain: string };
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

const INSERT_EVENTS = `
  INSERT INTO events (portal, event_id, type, user_id, call_key, occurred_at, data)
  SELECT e.portal, e.id, e.type, e.user_id, e.call_key, e.at, e.data
  FROM jsonb_to_recordset($1::jsonb) AS e(portal text, id text, type text, user_id int, call_key text, at timestamptz, data jsonb)
  ON CONFLICT (portal, event_id) DO NOTHING
  RETURNING portal, event_id`;

/** Which hold of its call an event speaks of; a call summary, none (0). */
export const holdSeqOf = (event: IncomingEvent): number => (event.type === 'call.summary' ? 0 : event.data.holdSeq);

type HoldRecord = Record<string, string | number | null>;
type Applied = FreshEvent & { batch: number };

function holdRecord({ sender, event, callKey }: Applied): HoldRecord {
  const d = event.data;
  const at = Date.parse(event.timestamp);
  const ended = event.type === 'hold.ended';
  return {
    portal: sender.portal, call_key: callKey, hold_seq: holdSeqOf(event), user_id: sender.userId,
    call_id: d.callId, crm_entity_type: d.crmEntityType, crm_entity_id: d.crmEntityId, phone_number: d.phoneNumber,
    started_at: new Date(ended ? at - event.data.heldMs : at).toISOString(),
    ended_at: ended ? event.timestamp : null, held_ms: ended ? event.data.heldMs : null, ended_by: ended ? event.data.endedBy : null,
  };
}

/** One record per hold key; `keep` decides between two for the same hold. Sorted, so concurrent writers lock rows in one order. */
function byHold(records: HoldRecord[], keep: (a: HoldRecord, b: HoldRecord) => HoldRecord = (a) => a): HoldRecord[] {
  const map = new Map<string, HoldRecord>();
  for (const r of records) {
    const key = `${r.portal}\n${r.call_key}\n${r.hold_seq}`;
    const had = map.get(key);
    map.set(key, had ? keep(had, r) : r);
  }
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
}

/** Stores the batches inside the caller's transaction; one result per batch, in order, and the new events. */
export async function ingestInto(tx: Queryable, batches: readonly Batch[]): Promise<{ results: IngestResult[]; fresh: FreshEvent[] }> {
  const all: Applied[] = batches.flatMap(({ sender, events }, batch) => events.map((event) => ({
    batch, sender, event, callKey: callKeyOf(event, sender.userId), data: { ...event.data, userId: sender.userId, domain: sender.portal },
  })));
  if (all.length === 0) return { results: batches.map(() => ({ stored: 0, duplicates: 0, holdsChanged: false })), fresh: [] };
  const rows = all.map(({ sender, event, callKey, data }) => ({
    portal: sender.portal, id: event.id, type: event.type, user_id: sender.userId, call_key: callKey, at: event.timestamp, data,
  }));
  const inserted = await tx.query<{ portal: string; event_id: string }>(INSERT_EVENTS, [JSON.stringify(rows)]);
  const fresh = new Set(inserted.map((row) => `${row.portal}\n${row.event_id}`));
  // The first copy of a new event is applied; later copies (another frame, a retry) are duplicates.
  const applied = all.filter(({ sender, event }) => fresh.delete(`${sender.portal}\n${event.id}`));

  const calls = new Map<string, { portal: string; call_key: string; user_id: number; first_at: string; last_at: string }>();
  for (const { sender, event, callKey } of applied) {
    const key = `${sender.portal}\n${callKey}`;
    const call = calls.get(key);
    if (!call) calls.set(key, { portal: sender.portal, call_key: callKey, user_id: sender.userId, first_at: event.timestamp, last_at: event.timestamp });
    else {
      if (Date.parse(event.timestamp) < Date.parse(call.first_at)) call.first_at = event.timestamp;
      if (Date.parse(event.timestamp) > Date.parse(call.last_at)) call.last_at = event.timestamp;
    }
  }
  const of = (type: IncomingEvent['type'], held?: boolean) =>
    applied.filter(({ event }) => event.type === type && (held === undefined || event.data.held === held)).map(holdRecord);
  const holdChanges = applied.filter(({ event }) => event.type !== 'call.summary');
  if (applied.length > 0) {
    // Rows are sorted by key, so concurrent writers lock them in one order.
    const sortedCalls = [...calls.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, call]) => call);
    await tx.query('SELECT hold_relay_apply($1::jsonb)', [JSON.stringify({
      calls: sortedCalls,
      started: byHold(of('hold.started')),
      ended: byHold(of('hold.ended'), (a, b) => (String(b.ended_at) > String(a.ended_at) ? b : a)),
      failedStart: byHold(of('hold.failed', false)),
      failedResume: byHold(of('hold.failed', true), (a, b) => (String(b.started_at) > String(a.started_at) ? b : a)),
      holds: byHold(holdChanges.map(holdRecord)).map(({ portal, call_key, hold_seq }) => ({ portal, call_key, hold_seq })),
      callKeys: sortedCalls.map(({ portal, call_key }) => ({ portal, call_key })),
      channel: LIVE_CHANNEL,
      notify: [...new Set(holdChanges.map(({ sender }) => sender.portal))],
    })]);
  }

  const results = batches.map(({ events }, batch) => {
    const mine = applied.filter((a) => a.batch === batch);
    return { stored: mine.length, duplicates: events.length - mine.length, holdsChanged: mine.some(({ event }) => event.type !== 'call.summary') };
  });
  return { results, fresh: applied };
}

/** Stores one batch in its own transaction: all of it, or (on a database error) none of it. */
export async function ingestEvents(db: { transaction: <T>(work: (tx: Queryable) => Promise<T>) => Promise<T> }, sender: Sender, events: readonly IncomingEvent[]): Promise<IngestResult> {
  const { results: [result] } = await db.transaction((tx) => ingestInto(tx, [{ sender, events }]));
  return result ?? { stored: 0, duplicates: 0, holdsChanged: false };
}
