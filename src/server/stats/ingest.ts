// Stores verified batches: each event once per (portal, event id), and for each new one the rows
// reports read (holds, calls; triggers keep their quarter-hour sums). Set-based: a few statements
// per group of batches, whatever their size. Events of one hold may come in any order and more
// than once; every rule below gives the same hold row whatever the order.
import type { Queryable } from '../db/index.ts';
import type { IncomingEvent } from './event-schema.ts';
import { quartersOf, refreshQuarters, type Touched } from './quarters.ts';

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

const INSERT_EVENTS = `
  INSERT INTO events (portal, event_id, type, user_id, call_key, occurred_at, data)
  SELECT e.portal, e.id, e.type, e.user_id, e.call_key, e.at, e.data
  FROM jsonb_to_recordset($1::jsonb) AS e(portal text, id text, type text, user_id int, call_key text, at timestamptz, data jsonb)
  ON CONFLICT (portal, event_id) DO NOTHING
  RETURNING portal, event_id`;

const UPSERT_CALLS = `
  INSERT INTO calls (portal, call_key, user_id, first_at, last_at)
  SELECT c.portal, c.call_key, c.user_id, c.first_at, c.last_at
  FROM jsonb_to_recordset($1::jsonb) AS c(portal text, call_key text, user_id int, first_at timestamptz, last_at timestamptz)
  ON CONFLICT (portal, call_key) DO UPDATE SET
    first_at = LEAST(calls.first_at, EXCLUDED.first_at),
    last_at = GREATEST(calls.last_at, EXCLUDED.last_at)`;

const HOLD_RECORD = `portal text, call_key text, hold_seq int, user_id int, call_id text, crm_entity_type text, crm_entity_id bigint,
  phone_number text, started_at timestamptz, ended_at timestamptz, held_ms bigint, ended_by text`;
const HOLD_COLUMNS = 'portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at';
const HOLD_CONTEXT = `
    call_id = COALESCE(holds.call_id, EXCLUDED.call_id),
    crm_entity_type = COALESCE(holds.crm_entity_type, EXCLUDED.crm_entity_type),
    crm_entity_id = COALESCE(holds.crm_entity_id, EXCLUDED.crm_entity_id),
    phone_number = COALESCE(holds.phone_number, EXCLUDED.phone_number)`;
const LATER_END = 'holds.ended_at IS NULL OR EXCLUDED.ended_at > holds.ended_at';

/** hold.started is the authority on when the hold began. */
const HOLDS_STARTED = `
  INSERT INTO holds (${HOLD_COLUMNS}) SELECT ${HOLD_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS h(${HOLD_RECORD})
  ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET started_at = EXCLUDED.started_at, ${HOLD_CONTEXT}`;

/** The latest hold.ended wins (a failed resume is followed by another); the start is derived until hold.started comes. */
const HOLDS_ENDED = `
  INSERT INTO holds (${HOLD_COLUMNS}, ended_at, held_ms, ended_by)
  SELECT ${HOLD_COLUMNS}, ended_at, held_ms, ended_by FROM jsonb_to_recordset($1::jsonb) AS h(${HOLD_RECORD})
  ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET
    started_at = COALESCE(holds.started_at, EXCLUDED.started_at),
    ended_at = CASE WHEN ${LATER_END} THEN EXCLUDED.ended_at ELSE holds.ended_at END,
    held_ms = CASE WHEN ${LATER_END} THEN EXCLUDED.held_ms ELSE holds.held_ms END,
    ended_by = CASE WHEN ${LATER_END} THEN EXCLUDED.ended_by ELSE holds.ended_by END,
    ${HOLD_CONTEXT}`;

/** A failed hold never happened (its row keeps the failure's time until hold.started names the start). */
const HOLDS_FAILED_START = `
  INSERT INTO holds (${HOLD_COLUMNS}, failed) SELECT ${HOLD_COLUMNS}, true FROM jsonb_to_recordset($1::jsonb) AS h(${HOLD_RECORD})
  ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET failed = true`;
/** A failed resume reopens the hold, unless an end later than the failure came. */
const HOLDS_FAILED_RESUME = `
  UPDATE holds SET ended_at = NULL, held_ms = NULL, ended_by = NULL
  FROM jsonb_to_recordset($1::jsonb) AS h(${HOLD_RECORD})
  WHERE holds.portal = h.portal AND holds.call_key = h.call_key AND holds.hold_seq = h.hold_seq AND holds.ended_at < h.started_at`;

type HoldRecord = Record<string, string | number | null>;
type Applied = { batch: number; sender: Sender; event: IncomingEvent; callKey: string };

function holdRecord({ sender, event, callKey }: Applied): HoldRecord {
  const d = event.data;
  const at = Date.parse(event.timestamp);
  const ended = event.type === 'hold.ended';
  return {
    portal: sender.portal, call_key: callKey, hold_seq: event.type === 'call.summary' ? 0 : event.data.holdSeq, user_id: sender.userId,
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

async function run(tx: Queryable, sql: string, records: unknown[]): Promise<void> {
  if (records.length > 0) await tx.query(sql, [JSON.stringify(records)]);
}

/** Stores the batches inside the caller's transaction; one result per batch, in order. */
export async function ingestInto(tx: Queryable, batches: readonly Batch[]): Promise<IngestResult[]> {
  const all: Applied[] = batches.flatMap(({ sender, events }, batch) => events.map((event) => ({ batch, sender, event, callKey: callKeyOf(event, sender.userId) })));
  if (all.length === 0) return batches.map(() => ({ stored: 0, duplicates: 0, holdsChanged: false }));
  const rows = all.map(({ sender, event, callKey }) => ({
    portal: sender.portal, id: event.id, type: event.type, user_id: sender.userId, call_key: callKey, at: event.timestamp,
    data: { ...event.data, userId: sender.userId, domain: sender.portal },
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
  const touched: Touched = {
    holds: byHold(applied.filter(({ event }) => event.type !== 'call.summary').map(holdRecord)).map((r) => ({ portal: String(r.portal), call_key: String(r.call_key), hold_seq: Number(r.hold_seq) })),
    calls: [...calls.values()].map(({ portal, call_key }) => ({ portal, call_key })),
  };
  const before = await quartersOf(tx, touched);
  await run(tx, UPSERT_CALLS, [...calls.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, call]) => call));
  await run(tx, HOLDS_STARTED, byHold(of('hold.started')));
  await run(tx, HOLDS_ENDED, byHold(of('hold.ended'), (a, b) => (String(b.ended_at) > String(a.ended_at) ? b : a)));
  // Failures last: a failed resume undoes only the ends that came before it.
  await run(tx, HOLDS_FAILED_START, byHold(of('hold.failed', false)));
  await run(tx, HOLDS_FAILED_RESUME, byHold(of('hold.failed', true), (a, b) => (String(b.started_at) > String(a.started_at) ? b : a)));
  await refreshQuarters(tx, touched, before);

  return batches.map(({ events }, batch) => {
    const mine = applied.filter((a) => a.batch === batch);
    return { stored: mine.length, duplicates: events.length - mine.length, holdsChanged: mine.some(({ event }) => event.type !== 'call.summary') };
  });
}

/** Stores one batch in its own transaction: all of it, or (on a database error) none of it. */
export async function ingestEvents(db: { transaction: <T>(work: (tx: Queryable) => Promise<T>) => Promise<T> }, sender: Sender, events: readonly IncomingEvent[]): Promise<IngestResult> {
  const [result] = await db.transaction((tx) => ingestInto(tx, [{ sender, events }]));
  return result ?? { stored: 0, duplicates: 0, holdsChanged: false };
}
