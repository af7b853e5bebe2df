import { eventId } from './event-id.ts';
import type {
  CallContext,
  CallRecord,
  HoldEvent,
  HoldEndedBy,
  HoldEventType,
  HoldInput,
  HoldState,
  PortalIdentity,
  Transition,
} from './types.ts';

/**
 * The hold state machine: pure, no clock, no storage, no portal. Inputs in, a new state and the
 * events the change produced out. Calling it again with the same input and state is safe.
 */

export const EMPTY_CONTEXT: CallContext = Object.freeze({
  callId: null,
  phoneNumber: null,
  lineNumber: null,
  direction: null,
  crmEntityType: null,
  crmEntityId: null,
  crmActivityId: null,
});

export function initialState(): HoldState {
  return { version: 1, call: null };
}

export function transition(state: HoldState, input: HoldInput, now: number, identity: PortalIdentity): Transition {
  const events: HoldEvent[] = [];
  // Every event counts as one change of the call; the count makes its id unique and shared by frames.
  const emit: Emit = (call, type, extra) => {
    const next = { ...call, changes: call.changes + 1 };
    events.push(makeEvent(next, type, now, identity, extra));
    return next;
  };

  switch (input.kind) {
    case 'callInitialized': {
      const call = state.call;
      const connectedAt = input.connected ? now : null;
      if (call && isSameCall(call.context, input.context)) {
        // A call first seen through a hold click (id unknown) takes the card's context; a frame that
        // joins the call keeps the answer time an earlier frame recorded.
        const answeredAt = call.answeredAt ?? connectedAt;
        return { state: { ...state, call: { ...call, context: input.context, answeredAt } }, events };
      }
      // A new card replaced the old one: that call's card is gone, as if closed.
      if (call) endCall(call, now, emit, 'close');
      return { state: { ...state, call: openCall(input.context, now, connectedAt) }, events };
    }
    case 'callAnswered': {
      const call = state.call ?? openCall(EMPTY_CONTEXT, now, null);
      return { state: { ...state, call: connected(call, now) }, events };
    }
    case 'holdClicked': {
      // The Hold button shows only while the card is connected: a click proves the call connected by
      // now (the only sign an outgoing call gives), so it stands in when no earlier sign was seen.
      const call = connected(state.call ?? openCall(EMPTY_CONTEXT, now, null), now);
      if (call.held === input.held) return { state: { ...state, call }, events };
      if (input.held) {
        const next = emit({ ...call, held: true, heldSince: now, holdSeq: call.holdSeq + 1 }, 'hold.started', {});
        return { state: { ...state, call: next }, events };
      }
      return { state: { ...state, call: releaseHold(call, now, emit, 'resume') }, events };
    }
    case 'holdFailed': {
      const call = state.call;
      const { data } = input.event;
      // Only the latest change can be undone; a later click has already superseded an older one.
      if (!call || call.holdSeq !== data.holdSeq || call.held !== data.held || call.context.callId !== data.callId) {
        return { state, events };
      }
      const heldMs = data.heldMs ?? 0;
      const reverted: CallRecord = call.held
        ? { ...call, held: false, heldSince: null }
        : {
            ...call,
            held: true,
            heldSince: Date.parse(input.event.timestamp) - heldMs,
            totalHeldMs: Math.max(0, call.totalHeldMs - heldMs),
          };
      return { state: { ...state, call: emit(reverted, 'hold.failed', { reason: input.reason }) }, events };
    }
    case 'callEnded': {
      if (state.call) endCall(state.call, now, emit, input.reason);
      return { state: { ...state, call: null }, events };
    }
  }
}

/** The hold.started event of the hold running now, for outputs that take it over, or null. */
export function runningHold(state: HoldState, identity: PortalIdentity): HoldEvent | null {
  const call = state.call;
  if (!call?.held || call.heldSince === null) return null;
  return makeEvent(call, 'hold.started', call.heldSince, identity, {});
}

/** Milliseconds the call has been held so far, counting a hold still running at `now`. */
export function currentHeldMs(call: CallRecord, now: number): number {
  return call.held && call.heldSince !== null ? Math.max(0, now - call.heldSince) : 0;
}

function openCall(context: CallContext, now: number, answeredAt: number | null): CallRecord {
  return {
    context,
    openedAt: now,
    answeredAt,
    held: false,
    heldSince: null,
    holdSeq: 0,
    totalHeldMs: 0,
    longestHoldMs: 0,
    changes: 0,
  };
}

/** The call, known to be connected by `now`: the first time it is known is the answer time. */
function connected(call: CallRecord, now: number): CallRecord {
  return call.answeredAt === null ? { ...call, answeredAt: now } : call;
}

/** When the call was connected and for how long until `now`, both null when that is not known. */
export function talkTime(call: CallRecord, now: number): { answeredAt: string | null; talkMs: number | null } {
  if (call.answeredAt === null) return { answeredAt: null, talkMs: null };
  return { answeredAt: new Date(call.answeredAt).toISOString(), talkMs: Math.max(0, now - call.answeredAt) };
}

function isSameCall(current: CallContext, incoming: CallContext): boolean {
  return current.callId === null || current.callId === incoming.callId;
}

/** Records an event for `call` and returns the call with the change counted. */
type Emit = (call: CallRecord, type: HoldEventType, extra: Partial<HoldEvent['data']>) => CallRecord;

function releaseHold(call: CallRecord, now: number, emit: Emit, endedBy: HoldEndedBy): CallRecord {
  const heldMs = currentHeldMs(call, now);
  const next: CallRecord = {
    ...call,
    held: false,
    heldSince: null,
    totalHeldMs: call.totalHeldMs + heldMs,
    longestHoldMs: Math.max(call.longestHoldMs, heldMs),
  };
  return emit(next, 'hold.ended', { heldMs, endedBy });
}

function endCall(call: CallRecord, now: number, emit: Emit, endedBy: 'hangup' | 'close'): CallRecord {
  const closed = call.held ? releaseHold(call, now, emit, endedBy) : call;
  return emit(closed, 'call.summary', {
    holdCount: closed.holdSeq,
    longestHoldMs: closed.longestHoldMs,
    ...talkTime(closed, now),
  });
}

function makeEvent(
  call: CallRecord,
  type: HoldEventType,
  now: number,
  identity: PortalIdentity,
  extra: Partial<HoldEvent['data']>,
): HoldEvent {
  const isHold = type !== 'call.summary';
  return {
    id: eventId(call.context.callId ?? `anonymous@${call.openedAt}`, type, call.changes),
    type,
    timestamp: new Date(now).toISOString(),
    data: {
      held: call.held,
      ...call.context,
      ...(isHold ? { holdSeq: call.holdSeq } : {}),
      totalHeldMs: call.totalHeldMs,
      ...extra,
      ...identity,
    },
  };
}
