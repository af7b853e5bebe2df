import { describe, expect, it } from 'vitest';
import { restoreState } from '../../../src/hold/restore.ts';
import { initialState, transition } from '../../../src/hold/state.ts';
import type { HoldEvent, HoldInput, HoldState } from '../../../src/hold/types.ts';
import { createHoldTracker } from '../../../src/worker/hold-tracker.ts';
import type { KeyValueStore } from '../../../src/storage/browser-storage.ts';
import { CONTEXT, IDENTITY } from '../../support/fixtures.ts';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

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

const ringing: HoldInput = { kind: 'callInitialized', context: CONTEXT, connected: false };
const joined: HoldInput = { kind: 'callInitialized', context: CONTEXT, connected: true };
const outgoing: HoldInput = {
  kind: 'callInitialized',
  context: { ...CONTEXT, direction: 'outgoing' },
  connected: false,
};
const answer: HoldInput = { kind: 'callAnswered' };
const hold: HoldInput = { kind: 'holdClicked', held: true };
const unhold: HoldInput = { kind: 'holdClicked', held: false };
const hangup: HoldInput = { kind: 'callEnded', reason: 'hangup' };
const close: HoldInput = { kind: 'callEnded', reason: 'close' };

const talk = (events: HoldEvent[]) => {
  const summary = events.find((e) => e.type === 'call.summary');
  return summary && [summary.data.answeredAt, summary.data.talkMs];
};

describe('talk time in call.summary', () => {
  it('counts an incoming call from the answer click to the hang-up', () => {
    const { events } = run([
      [0, ringing],
      [4000, answer],
      [10_000, hold],
      [13_000, unhold],
      [64_000, hangup],
    ]);
    expect(talk(events)).toEqual([iso(4000), 60_000]);
  });

  it('says null for both when the call was never known to be connected, never a made-up value', () => {
    expect(
      talk(
        run([
          [0, ringing],
          [20_000, hangup],
        ]).events,
      ),
    ).toEqual([null, null]);
    expect(
      talk(
        run([
          [0, outgoing],
          [20_000, close],
        ]).events,
      ),
    ).toEqual([null, null]);
  });

  it('counts from initialized when the frame joins a call that is connected already', () => {
    expect(
      talk(
        run([
          [0, joined],
          [30_000, hangup],
        ]).events,
      ),
    ).toEqual([iso(0), 30_000]);
  });

  it('counts an outgoing call from its first hold click when nothing earlier showed it connected', () => {
    // The Hold button shows only while the card is connected: the click is a lower bound of the talk.
    const { events } = run([
      [0, outgoing],
      [15_000, hold],
      [20_000, unhold],
      [45_000, hangup],
    ]);
    expect(talk(events)).toEqual([iso(15_000), 30_000]);
  });

  it('keeps the first answer time: a later answer, hold click or repeated initialized does not move it', () => {
    const { events } = run([
      [0, ringing],
      [2000, answer],
      [5000, answer],
      [6000, joined],
      [7000, hold],
      [8000, unhold],
      [12_000, hangup],
    ]);
    expect(talk(events)).toEqual([iso(2000), 10_000]);
  });

  it("answers a call first seen through the answer click, and gives it the card's context later", () => {
    const { events } = run([
      [0, answer],
      [100, ringing],
      [9000, hangup],
    ]);
    expect(events.map((e) => [e.type, e.data.callId, e.data.answeredAt, e.data.talkMs])).toEqual([
      ['call.summary', CONTEXT.callId, iso(0), 9000],
    ]);
  });

  it('summarises the old call with its talk time when a card for another call replaces it', () => {
    const next: HoldInput = { kind: 'callInitialized', context: { ...CONTEXT, callId: 'NEXT' }, connected: true };
    const { events, state } = run([
      [0, ringing],
      [1000, answer],
      [5000, next],
    ]);
    expect(talk(events)).toEqual([iso(1000), 4000]);
    expect(state.call?.answeredAt).toBe(T0 + 5000);
  });

  it('carries talk time on call.summary only', () => {
    const { events } = run([
      [0, ringing],
      [1000, answer],
      [2000, hold],
      [3000, unhold],
      [4000, hangup],
    ]);
    for (const event of events.filter((e) => e.type !== 'call.summary')) {
      expect(Object.keys(event.data)).not.toContain('answeredAt');
      expect(Object.keys(event.data)).not.toContain('talkMs');
    }
  });
});

describe('talk time across worker frames', () => {
  function sharedStore(): KeyValueStore {
    const map = new Map<string, string>();
    return {
      durable: true,
      get: (k) => map.get(k) ?? null,
      set: (k, v) => void map.set(k, v),
      remove: (k) => void map.delete(k),
      keys: (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)),
    };
  }

  it('keeps the answer time when the frame is replaced mid-call and the new one sees initialized again', () => {
    const store = sharedStore();
    const oldFrame = createHoldTracker(store, 'k');
    oldFrame.apply(ringing, T0, IDENTITY);
    oldFrame.apply(answer, T0 + 3000, IDENTITY);
    const newFrame = createHoldTracker(store, 'k');
    // The portal tells a frame that subscribes mid-call that the call is connected: not since when.
    expect(newFrame.apply(joined, T0 + 20_000, IDENTITY)).toEqual([]);
    const events = newFrame.apply(hangup, T0 + 33_000, IDENTITY);
    expect(talk(events)).toEqual([iso(3000), 30_000]);
  });

  it('restores a state stored before talk time was kept, with the answer time unknown', () => {
    const { state } = run([
      [0, ringing],
      [1000, hold],
    ]);
    const { answeredAt: _dropped, ...older } = state.call ?? {};
    const restored = restoreState(JSON.stringify({ ...state, call: older }), T0 + 2000);
    expect(restored.call).toEqual({ ...state.call, answeredAt: null });
    expect(talk(run([[5000, hangup]], restored).events)).toEqual([null, null]);
  });

  it('starts afresh from a stored answer time that is not a time', () => {
    const { state } = run([
      [0, ringing],
      [1000, answer],
    ]);
    const stored = JSON.stringify({ ...state, call: { ...state.call, answeredAt: 'yesterday' } });
    expect(restoreState(stored, T0 + 2000)).toEqual(initialState());
  });
});
