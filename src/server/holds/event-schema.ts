// The events the `server` output sends (`POST /api/events`), checked field by field. Only the
// contract's fields are kept (any other is dropped: never stored, never signed), every string is
// bounded, and a timestamp must fall within the window the server's clock allows. Identity in the
// body (domain, userId) is dropped: the server takes the portal and the user from the verified token.
import * as v from 'valibot';

export const MAX_EVENTS_PER_BATCH = 100;
/** How far ahead of the server's clock an event's timestamp may be. */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;
/** How far behind the server's clock an event's timestamp may be. */
export const MAX_EVENT_AGE_MS = 7 * 86_400_000;
export const ENDED_BY = ['resume', 'hangup', 'close'] as const;
export type EndedBy = (typeof ENDED_BY)[number];

// PostgreSQL's text cannot hold NUL: refused here, with its field, rather than by the database.
const noNul = v.check((value: string) => !value.includes('\u0000'), 'must not contain NUL');
const text = (max: number) => v.nullish(v.pipe(v.string(), v.maxLength(max), noNul), null);
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
// Within the window of the server's clock too: checkBatch checks that, with the clock it is given.
const timestamp = v.pipe(v.string(), v.maxLength(40), v.isoTimestamp('must be an ISO 8601 instant'));

const context = {
  held: v.boolean(),
  callId: text(200),
  phoneNumber: text(64),
  lineNumber: text(200),
  direction: text(32),
  crmEntityType: text(64),
  crmEntityId: v.nullish(v.pipe(v.number(), v.safeInteger()), null),
  crmActivityId: v.nullish(v.pipe(v.number(), v.safeInteger()), null),
  totalHeldMs: v.optional(count),
  memberId: text(64),
};
const holdSeq = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

const eventOf = <T extends string, D extends v.ObjectEntries>(type: T, data: D) =>
  v.object({
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(128), noNul),
    type: v.literal(type),
    timestamp,
    data: v.object({ ...context, ...data }),
  });

export const HoldEventSchema = v.variant('type', [
  eventOf('hold.started', { holdSeq }),
  eventOf('hold.ended', { holdSeq, heldMs: count, endedBy: v.nullish(v.picklist(ENDED_BY), null) }),
  eventOf('hold.failed', { holdSeq, reason: text(500) }),
  eventOf('call.summary', { holdCount: v.optional(count), longestHoldMs: v.optional(count) }),
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
    const wrong = at > now + MAX_CLOCK_SKEW_MS ? 'is more than 10 minutes ahead of the server\'s clock'
      : at < now - MAX_EVENT_AGE_MS ? 'is more than 7 days old' : null;
    if (wrong) return { ok: false, tooMany: false, field: `events[${i}].timestamp`, error: `events[${i}].timestamp: ${wrong}` };
  }
  return { ok: true, events };
}

export function fieldPath(keys: readonly unknown[]): string {
  return keys.reduce<string>((path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${String(key)}` : String(key)), '');
}
