/** Event types an output can receive. */
export type HoldEventType = 'hold.started' | 'hold.ended' | 'hold.failed' | 'call.summary';

export const HOLD_EVENT_TYPES: readonly HoldEventType[] = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'];

/** What the call card told us about the call. Unknown values are `null`, never made up. */
export interface CallContext {
  callId: string | null;
  phoneNumber: string | null;
  lineNumber: string | null;
  direction: string | null;
  crmEntityType: string | null;
  crmEntityId: number | null;
  crmActivityId: number | null;
}

/** Who raised the event: filled in by the worker from the portal, not by the state module. */
export interface PortalIdentity {
  domain: string | null;
  memberId: string | null;
  userId: number | null;
}

/** How a hold ended: taken off hold, or the call (`hangup`) or its card (`close`) ended while held. */
export type HoldEndedBy = 'resume' | 'hangup' | 'close';

export interface HoldEventData extends CallContext, PortalIdentity {
  held: boolean;
  /** Counts holds within the call from 1 (hold.* events). */
  holdSeq?: number;
  /** Length of the hold that just ended (hold.ended only). */
  heldMs?: number;
  /** hold.ended only: taken off hold (`resume`), or the call or its card ended while held (a hold disconnect). */
  endedBy?: HoldEndedBy;
  /** All held time of the call so far, including a hold that just ended. */
  totalHeldMs: number;
  /** call.summary only. */
  holdCount?: number;
  /** call.summary only. */
  longestHoldMs?: number;
  /** hold.failed only: why the hold could not be carried out. */
  reason?: string;
}

export interface HoldEvent {
  /** Stable across retries and across worker frames that saw the same click. */
  id: string;
  type: HoldEventType;
  /** ISO 8601, when the change happened. */
  timestamp: string;
  data: HoldEventData;
}

/** Inputs the state module understands; the portal adapter turns card events into these. */
export type HoldInput =
  | { kind: 'callInitialized'; context: CallContext }
  | { kind: 'holdClicked'; held: boolean }
  | { kind: 'callEnded'; reason: 'hangup' | 'close' }
  /** The telephony side could not carry out the change `event` reported: undo it. */
  | { kind: 'holdFailed'; event: HoldEvent; reason: string };

/** One call as the state module keeps it. Plain JSON, so it can be stored and restored. */
export interface CallRecord {
  context: CallContext;
  /** When the record was made (ms since epoch); names a call whose id is still unknown. */
  openedAt: number;
  held: boolean;
  /** When the current hold began, or null when not held. */
  heldSince: number | null;
  holdSeq: number;
  totalHeldMs: number;
  longestHoldMs: number;
  /** Events emitted for the call so far: makes each event id unique, and equal in every frame. */
  changes: number;
}

export interface HoldState {
  version: 1;
  call: CallRecord | null;
}

export interface Transition {
  state: HoldState;
  events: HoldEvent[];
}
