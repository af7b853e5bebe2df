import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, initialState, runningHold, transition } from '../../../src/hold/state.ts';
import type { HoldEvent, HoldInput, HoldState } from '../../../src/hold/types.ts';
import { CONTEXT, IDENTITY } from '../../support/fixtures.ts';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');

/** Runs inputs at given offsets (ms from T0) and collects every event, like a fake clock would. */
function run(steps: [number, HoldInput][], start: HoldState = initialState()) {
  let state = start;
  const events: HoldEvent[] = [];
  for (const [at, input] of steps) {
    const result = transition(state, input, T0 + at, IDENTITY);
    state = result.state;
    events.push(...result.events);
  }
  return { state, events };
}

const init: HoldInput = { kind: 'callInitialized', context: CONTEXT, connected: false };
const hold: HoldInput = { kind: 'holdClicked', held: true };
const unhold: HoldInput = { kind: 'holdClicked', held: false };
const hangup: HoldInput = { kind: 'callEnded', reason: 'hangup' };

describe('hold state', () => {
  it('emits hold.started then hold.ended with the hold length', () => {
    const { events } = run([
      [0, init],
      [1000, hold],
      [4000, unhold],
    ]);
    expect(events.map((e) => [e.type, e.data.holdSeq, e.data.heldMs, e.data.totalHeldMs])).toEqual([
      ['hold.started', 1, undefined, 0],
      ['hold.ended', 1, 3000, 3000],
    ]);
    expect(events[0]?.timestamp).toBe('2026-11-24T10:00:01.000Z');
    expect(events[1]?.data.held).toBe(false);
    expect(events[0]?.data.held).toBe(true);
  });

  it('carries the call context and the portal identity on every event', () => {
    const { events } = run([
      [0, init],
      [10, hold],
    ]);
    expect(events[0]?.data).toEqual({ held: true, ...CONTEXT, holdSeq: 1, totalHeldMs: 0, ...IDENTITY });
  });

  it('counts holds within the call and sums their durations', () => {
    const { events } = run([
      [0, init],
      [0, hold],
      [3000, unhold],
      [5000, hold],
      [6500, unhold],
    ]);
    const ended = events.filter((e) => e.type === 'hold.ended');
    expect(ended.map((e) => [e.data.holdSeq, e.data.heldMs, e.data.totalHeldMs])).toEqual([
      [1, 3000, 3000],
      [2, 1500, 4500],
    ]);
    expect(events.filter((e) => e.type === 'hold.started').map((e) => e.data.totalHeldMs)).toEqual([0, 3000]);
  });

  it('treats a click that repeats the current state as no transition', () => {
    const { events, state } = run([
      [0, init],
      [0, hold],
      [500, hold],
      [1000, unhold],
      [1500, unhold],
    ]);
    expect(events.map((e) => e.type)).toEqual(['hold.started', 'hold.ended']);
    expect(state.call?.holdSeq).toBe(1);
  });

  it('closes a running hold and summarises the call when the call ends while held', () => {
    const { events, state } = run([
      [0, init],
      [0, hold],
      [3000, unhold],
      [4000, hold],
      [6000, hangup],
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'hold.started',
      'hold.ended',
      'hold.started',
      'hold.ended',
      'call.summary',
    ]);
    const summary = events[4];
    expect(summary?.data).toMatchObject({
      held: false,
      holdCount: 2,
      totalHeldMs: 5000,
      longestHoldMs: 3000,
      callId: CONTEXT.callId,
    });
    expect(summary?.data.holdSeq).toBeUndefined();
    expect(summary?.data.heldMs).toBeUndefined();
    expect(events[3]?.data.heldMs).toBe(2000);
    expect(state.call).toBeNull();
  });

  it('says how each hold ended: resumed, or the call hung up or its card closed while held', () => {
    const close: HoldInput = { kind: 'callEnded', reason: 'close' };
    const endedBy = (steps: [number, HoldInput][]) =>
      run(steps)
        .events.filter((e) => e.type === 'hold.ended')
        .map((e) => e.data.endedBy);
    expect(
      endedBy([
        [0, init],
        [0, hold],
        [1000, unhold],
        [2000, hold],
        [3000, hangup],
      ]),
    ).toEqual(['resume', 'hangup']);
    expect(
      endedBy([
        [0, init],
        [0, hold],
        [1000, close],
      ]),
    ).toEqual(['close']);
    const next: HoldInput = { kind: 'callInitialized', context: { ...CONTEXT, callId: 'NEXT-CALL' }, connected: false };
    expect(
      endedBy([
        [0, init],
        [0, hold],
        [1000, next],
      ]),
    ).toEqual(['close']);
    expect(
      run([
        [0, init],
        [0, hold],
      ]).events[0]?.data.endedBy,
    ).toBeUndefined();
  });

  it('summarises a call without holds with zero counts', () => {
    const { events } = run([
      [0, init],
      [9000, hangup],
    ]);
    expect(events.map((e) => [e.type, e.data.holdCount, e.data.totalHeldMs, e.data.longestHoldMs])).toEqual([
      ['call.summary', 0, 0, 0],
    ]);
  });

  it('ignores a call end when no call is known, and a second end of the same call', () => {
    expect(run([[0, hangup]]).events).toEqual([]);
    expect(
      run([
        [0, init],
        [1, hangup],
        [2, { kind: 'callEnded', reason: 'close' }],
      ]).events.map((e) => e.type),
    ).toEqual(['call.summary']);
  });

  it('reports a hold clicked before initialized with callId null, never a made-up value', () => {
    const { events } = run([[0, hold]]);
    expect(events[0]?.data).toMatchObject({ ...EMPTY_CONTEXT, holdSeq: 1 });
  });

  it('gives a call first seen through a hold click the context of its initialized event', () => {
    const { events } = run([
      [0, hold],
      [100, init],
      [2100, unhold],
    ]);
    expect(events.map((e) => [e.type, e.data.callId, e.data.heldMs])).toEqual([
      ['hold.started', null, undefined],
      ['hold.ended', CONTEXT.callId, 2100],
    ]);
  });

  it('keeps counters when initialized repeats for the same call', () => {
    const { events, state } = run([
      [0, init],
      [0, hold],
      [50, init],
      [1050, unhold],
    ]);
    expect(events.map((e) => [e.type, e.data.heldMs])).toEqual([
      ['hold.started', undefined],
      ['hold.ended', 1050],
    ]);
    expect(state.call?.holdSeq).toBe(1);
  });

  it('ends the previous call when a card for another call is initialized', () => {
    const other = { ...CONTEXT, callId: 'OTHER' };
    const { events, state } = run([
      [0, init],
      [0, hold],
      [1000, { kind: 'callInitialized', context: other, connected: false }],
    ]);
    expect(events.map((e) => [e.type, e.data.callId])).toEqual([
      ['hold.started', CONTEXT.callId],
      ['hold.ended', CONTEXT.callId],
      ['call.summary', CONTEXT.callId],
    ]);
    expect(state.call?.context.callId).toBe('OTHER');
    expect(state.call?.holdSeq).toBe(0);
  });

  it('gives the same change the same event id, and different changes different ids', () => {
    const a = run([
      [0, init],
      [0, hold],
      [10, unhold],
      [20, hold],
    ]).events.map((e) => e.id);
    const b = run([
      [5, init],
      [7, hold],
      [99, unhold],
      [120, hold],
    ]).events.map((e) => e.id);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(3);
    const otherCall = run([
      [0, { kind: 'callInitialized', context: { ...CONTEXT, callId: 'X' }, connected: false }],
      [0, hold],
    ]).events;
    expect(otherCall[0]?.id).not.toBe(a[0]);
  });

  it('continues a hold from stored state, so a replaced frame reports the full duration', () => {
    const before = run([
      [0, init],
      [1000, hold],
    ]);
    const stored = JSON.parse(JSON.stringify(before.state)) as HoldState;
    const after = run([[8000, unhold]], stored);
    expect(after.events.map((e) => [e.type, e.data.heldMs, e.id])).toEqual([
      ['hold.ended', 7000, expect.stringMatching(/^evt_/)],
    ]);
  });

  it('rebuilds the running hold.started event, id included, for a frame that takes over', () => {
    const { state, events } = run([
      [0, init],
      [0, hold],
      [100, unhold],
      [1000, hold],
    ]);
    expect(runningHold(state, IDENTITY)).toEqual(events[2]);
    expect(runningHold(run([[0, init]]).state, IDENTITY)).toBeNull();
  });

  it('never changes the state it was given', () => {
    const { state } = run([
      [0, init],
      [0, hold],
    ]);
    const frozen = JSON.stringify(state);
    transition(state, unhold, T0 + 5000, IDENTITY);
    transition(state, hangup, T0 + 5000, IDENTITY);
    expect(JSON.stringify(state)).toBe(frozen);
  });
});

describe('hold state when a confirm output could not carry a change out', () => {
  const failedLast = (steps: [number, HoldInput][]) => {
    const before = run(steps);
    const last = before.events.at(-1);
    if (!last) throw new Error('no event to fail');
    return { before, last };
  };

  it('undoes a hold that could not be made and says why', () => {
    const { before, last } = failedLast([
      [0, init],
      [1000, hold],
    ]);
    const after = run([[1500, { kind: 'holdFailed', event: last, reason: 'HTTP 503' }]], before.state);
    expect(after.events.map((e) => [e.type, e.data.held, e.data.holdSeq, e.data.reason])).toEqual([
      ['hold.failed', false, 1, 'HTTP 503'],
    ]);
    expect(after.state.call).toMatchObject({ held: false, heldSince: null, totalHeldMs: 0 });
    const next = run([[2000, hold]], after.state).events;
    expect(next.map((e) => [e.type, e.data.holdSeq])).toEqual([['hold.started', 2]]);
  });

  it('puts a call back on hold when taking it off could not be done, keeping the hold running', () => {
    const { before, last } = failedLast([
      [0, init],
      [1000, hold],
      [4000, unhold],
    ]);
    const after = run([[4200, { kind: 'holdFailed', event: last, reason: 'timeout' }]], before.state);
    expect(after.events.map((e) => [e.type, e.data.held])).toEqual([['hold.failed', true]]);
    const ended = run([[6000, unhold]], after.state).events;
    expect(ended.map((e) => [e.type, e.data.heldMs, e.data.totalHeldMs])).toEqual([['hold.ended', 5000, 5000]]);
    expect(ended[0]?.id).not.toBe(last.id);
  });

  it('leaves a change alone that a later click already superseded', () => {
    const { before, last } = failedLast([
      [0, init],
      [1000, hold],
    ]);
    const moved = run([[2000, unhold]], before.state);
    const after = run([[2500, { kind: 'holdFailed', event: last, reason: 'late' }]], moved.state);
    expect(after.events).toEqual([]);
    expect(after.state).toEqual(moved.state);
  });
});
