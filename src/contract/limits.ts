// Bounds of the call card's text in an event, without valibot: the worker's critical path trims card
// text to them (src/portal/payloads.ts) and the event schema (event.ts) refuses anything longer.

/** The most characters each text field of the call's context may carry. */
export const CONTEXT_TEXT_LIMITS = {
  callId: 200,
  phoneNumber: 64,
  lineNumber: 200,
  direction: 32,
  crmEntityType: 64,
} as const;
