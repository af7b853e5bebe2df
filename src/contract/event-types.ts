// The event's enumerations and field names, without valibot: the worker's configuration, its
// templates and the page's forms list them without loading the event's schema (event.ts), which
// checks at compile time that its fields are exactly these.

/** Event types an output can receive. */
export const HOLD_EVENT_TYPES = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'] as const;

/** How a hold ended: taken off hold, or the call (`hangup`) or its card (`close`) ended while held. */
export const HOLD_ENDED_BY = ['resume', 'hangup', 'close'] as const;

export type HoldEventType = (typeof HOLD_EVENT_TYPES)[number];
export type HoldEndedBy = (typeof HOLD_ENDED_BY)[number];

/** Every field of an event's `data`, in the order the schema lists them. */
export const EVENT_DATA_FIELDS = [
  'held',
  'callId',
  'phoneNumber',
  'lineNumber',
  'direction',
  'crmEntityType',
  'crmEntityId',
  'crmActivityId',
  'domain',
  'memberId',
  'userId',
  'holdSeq',
  'heldMs',
  'endedBy',
  'totalHeldMs',
  'holdCount',
  'longestHoldMs',
  'reason',
  'answeredAt',
  'talkMs',
] as const;
