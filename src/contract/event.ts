// The event every output receives and the `server` output posts: its shape, defined once, with the
// bounds the server enforces. The worker's types are inferred from it; the server's strict per-type
// schema (src/server/holds/event-schema.ts) is composed of its fields. The worker loads none of it
// at run time: its stored state takes the call context's shape from call-context.ts and its
// templates the field names from event-types.ts, which the type check below ties to this schema.
// Runtime-neutral: no DOM, no node: imports.
import * as v from 'valibot';
import { callContextEntries } from './call-context.ts';
import { HOLD_ENDED_BY, HOLD_EVENT_TYPES, type EVENT_DATA_FIELDS } from './event-types.ts';
import { CONTEXT_TEXT_LIMITS } from './limits.ts';

export { CallContextSchema, type CallContext } from './call-context.ts';
export {
  EVENT_DATA_FIELDS,
  HOLD_ENDED_BY,
  HOLD_EVENT_TYPES,
  type HoldEndedBy,
  type HoldEventType,
} from './event-types.ts';

/** The most characters each text field may carry. */
export const TEXT_LIMITS = { ...CONTEXT_TEXT_LIMITS, id: 128, domain: 253, memberId: 64, reason: 500 } as const;

/** The longest talk time an event may report: a day (a longer call is a card left open, not talk). */
export const MAX_TALK_MS = 24 * 60 * 60 * 1000;

// PostgreSQL's text cannot hold NUL: refused with its field, rather than by a database.
const noNul = v.check((value: string) => !value.includes('\u0000'), 'must not contain NUL');
const bounded = (max: number) => v.pipe(v.string(), v.maxLength(max), noNul);
/** Unknown is `null`, never a made-up value; a missing field reads as unknown. */
const text = (max: number) => v.nullish(bounded(max), null);
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const instant = v.pipe(v.string(), v.maxLength(40), v.isoTimestamp('must be an ISO 8601 instant'));

/** The call's context as an event carries it: bounded texts, safe integers, missing read as null. */
export const StrictCallContextSchema = v.object(
  callContextEntries(text, v.nullish(v.pipe(v.number(), v.safeInteger()), null)),
);

/** Who raised the event, as the worker's frame knows it (the server takes it from the token instead). */
export const PortalIdentitySchema = v.object({
  domain: text(TEXT_LIMITS.domain),
  memberId: text(TEXT_LIMITS.memberId),
  userId: v.nullish(v.pipe(v.number(), v.safeInteger(), v.minValue(1)), null),
});

/**
 * Every field of `data`, one schema each. Which event types carry which: `holdSeq` on hold.*,
 * `heldMs` and `endedBy` on hold.ended, `reason` on hold.failed, the rest on call.summary.
 */
export const EVENT_FIELDS = {
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(TEXT_LIMITS.id), noNul),
  timestamp: instant,
  held: v.boolean(),
  /** Counts holds within the call from 1. */
  holdSeq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  /** Length of the hold that just ended. */
  heldMs: count,
  endedBy: v.picklist(HOLD_ENDED_BY),
  /** All held time of the call so far, including a hold that just ended. */
  totalHeldMs: count,
  holdCount: count,
  longestHoldMs: count,
  /** Why the hold could not be carried out. */
  reason: bounded(TEXT_LIMITS.reason),
  /** When the call was connected; null when it never was, as far as the worker saw. */
  answeredAt: v.nullable(instant),
  /** Connected to the end of the call; null when unknown. */
  talkMs: v.nullable(v.pipe(count, v.maxValue(MAX_TALK_MS))),
} as const;

const f = EVENT_FIELDS;

/** The event's `data` as the worker makes it: the type-specific fields are optional. */
export const HoldEventDataSchema = v.object({
  held: f.held,
  ...StrictCallContextSchema.entries,
  ...PortalIdentitySchema.entries,
  holdSeq: v.optional(f.holdSeq),
  heldMs: v.optional(f.heldMs),
  endedBy: v.optional(f.endedBy),
  totalHeldMs: f.totalHeldMs,
  holdCount: v.optional(f.holdCount),
  longestHoldMs: v.optional(f.longestHoldMs),
  reason: v.optional(f.reason),
  answeredAt: v.optional(f.answeredAt),
  talkMs: v.optional(f.talkMs),
});

export const HoldEventSchema = v.object({
  /** Stable across retries and across worker frames that saw the same click. */
  id: f.id,
  type: v.picklist(HOLD_EVENT_TYPES),
  /** ISO 8601, when the change happened. */
  timestamp: f.timestamp,
  data: HoldEventDataSchema,
});

export type PortalIdentity = v.InferOutput<typeof PortalIdentitySchema>;
export type HoldEventData = v.InferOutput<typeof HoldEventDataSchema>;
export type HoldEvent = v.InferOutput<typeof HoldEventSchema>;

// The field list the templates read (event-types.ts) must name exactly the schema's fields: a field
// added to one and not the other fails the type check here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type DataFieldsListed = Holds<Same<keyof HoldEventData, (typeof EVENT_DATA_FIELDS)[number]>>;
