// The events the `server` output sends (`POST /api/events`), checked field by field. Only the
// contract's fields are kept (any other is dropped: never stored, never signed), every string is
// bounded, and a timestamp must fall within the window the server's clock allows. Identity in the
// body (domain, userId) is dropped: the server takes the portal and the user from the verified token.
import * as v from 'valibot';
import {
  EVENT_FIELDS as f,
  HOLD_ENDED_BY,
  PortalIdentitySchema,
  StrictCallContextSchema,
} from '../../contract/event.ts';

export const MAX_EVENTS_PER_BATCH = 100;
/** How far ahead of the server's clock an event's timestamp may be. */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;
/** How far behind the server's clock an event's timestamp may be. */
export const MAX_EVENT_AGE_MS = 7 * 86_400_000;
export const ENDED_BY = HOLD_ENDED_BY;
export type EndedBy = (typeof ENDED_BY)[number];

// The contract's fields, each required or optional as its event type has it. The timestamp must fall
// within the window of the server's clock too: checkBatch checks that, with the clock it is given.
const context = {
  held: f.held,
  ...StrictCallContextSchema.entries,
  totalHeldMs: v.optional(f.totalHeldMs),
  memberId: PortalIdentitySchema.entries.memberId,
};

const eventOf = <T extends string, D extends v.ObjectEntries>(type: T, data: D) =>
  v.object({ id: f.id, type: v.literal(type), timestamp: f.timestamp, data: v.object({ ...context, ...data }) });

export const HoldEventSchema = v.variant('type', [
  eventOf('hold.started', { holdSeq: f.holdSeq }),
  eventOf('hold.ended', { holdSeq: f.holdSeq, heldMs: f.heldMs, endedBy: v.nullish(f.endedBy, null) }),
  eventOf('hold.failed', { holdSeq: f.holdSeq, reason: v.nullish(f.reason, null) }),
  eventOf('call.summary', {
    holdCount: v.optional(f.holdCount),
    longestHoldMs: v.optional(f.longestHoldMs),
    answeredAt: v.optional(f.answeredAt),
    talkMs: v.optional(f.talkMs),
  }),
]);
export type IncomingEvent = v.InferOutput<typeof HoldEventSchema>;

export const EventBatchSchema = v.object({ events: v.array(HoldEventSchema) });

export type BatchCheck =
  | { ok: true; events: IncomingEvent[] }
  | { ok: false; tooMany: true }
  | { ok: false; tooMany: false; error: string; field: string };

/**
 * Checks a parsed body against the server's clock `now` (ms); a bad one names its first bad field
 * the way a reader writes it: `events[3].type`.
 */
export function checkBatch(body: unknown, now: number): BatchCheck {
  if (typeof body === 'object' && body !== null && Array.isArray((body as { events?: unknown }).events)) {
    if ((body as { events: unknown[] }).events.length > MAX_EVENTS_PER_BATCH) return { ok: false, tooMany: true };
  }
  const result = v.safeParse(EventBatchSchema, body);
  if (!result.success) {
    const issue = result.issues[0];
    const field = fieldPath(issue.path?.map((item) => item.key) ?? []);
    return { ok: false, tooMany: false, field, error: `${field || 'body'}: ${issue.message}` };
  }
  const { events } = result.output;
  for (const [i, event] of events.entries()) {
    const at = Date.parse(event.timestamp);
    const wrong =
      at > now + MAX_CLOCK_SKEW_MS
        ? "is more than 10 minutes ahead of the server's clock"
        : at < now - MAX_EVENT_AGE_MS
          ? 'is more than 7 days old'
          : null;
    if (wrong)
      return { ok: false, tooMany: false, field: `events[${i}].timestamp`, error: `events[${i}].timestamp: ${wrong}` };
  }
  return { ok: true, events };
}

export function fieldPath(keys: readonly unknown[]): string {
  return keys.reduce<string>(
    (path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${String(key)}` : String(key)),
    '',
  );
}
