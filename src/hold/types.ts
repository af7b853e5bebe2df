import type { CallContext, HoldEvent } from '../contract/event.ts';
import type { HoldState } from './stored-state.ts';

// The event's shape lives in the contract; the worker's modules keep importing it from here.
export { HOLD_EVENT_TYPES, HOLD_ENDED_BY } from '../contract/event-types.ts';
export type {
  CallContext,
  HoldEndedBy,
  HoldEvent,
  HoldEventData,
  HoldEventType,
  PortalIdentity,
} from '../contract/event.ts';
export type { CallRecord, HoldState } from './stored-state.ts';

/** Inputs the state module understands; the portal adapter turns card events into these. */
export type HoldInput =
  /** The card's call; `connected`: its CALL_STATE says the call is connected already. */
  | { kind: 'callInitialized'; context: CallContext; connected: boolean }
  /** The operator answered the incoming call (`answerButtonClick`): it is connected from now. */
  | { kind: 'callAnswered' }
  | { kind: 'holdClicked'; held: boolean }
  | { kind: 'callEnded'; reason: 'hangup' | 'close' }
  /** The telephony side could not carry out the change `event` reported: undo it. */
  | { kind: 'holdFailed'; event: HoldEvent; reason: string };

export interface Transition {
  state: HoldState;
  events: HoldEvent[];
}
