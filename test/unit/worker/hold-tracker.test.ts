import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../../src/storage/browser-storage.ts';
import { createHoldTracker } from '../../../src/worker/hold-tracker.ts';
import { CONTEXT, IDENTITY } from '../../support/fixtures.ts';

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

const T0 = Date.parse('2026-11-24T10:00:00.000Z');

describe('hold tracker over shared storage', () => {
  it('lets a new frame finish a hold an old frame began, with the full duration', () => {
    const store = sharedStore();
    const oldFrame = createHoldTracker(store, 'k');
    oldFrame.apply({ kind: 'callInitialized', context: CONTEXT, connected: false }, T0, IDENTITY);
    oldFrame.apply({ kind: 'holdClicked', held: true }, T0 + 1000, IDENTITY);
    const newFrame = createHoldTracker(store, 'k');
    const events = newFrame.apply({ kind: 'holdClicked', held: false }, T0 + 4000, IDENTITY);
    expect(events.map((e) => [e.type, e.data.heldMs])).toEqual([['hold.ended', 3000]]);
  });

  it('makes one transition when two frames receive the same click', () => {
    const store = sharedStore();
    const a = createHoldTracker(store, 'k');
    const b = createHoldTracker(store, 'k');
    const click = { kind: 'holdClicked', held: true } as const;
    expect(a.apply(click, T0, IDENTITY).map((e) => e.type)).toEqual(['hold.started']);
    expect(b.apply(click, T0 + 2, IDENTITY)).toEqual([]);
  });

  it('keeps frames of separate stores apart (storage denied: each frame on its own)', () => {
    const click = { kind: 'holdClicked', held: true } as const;
    expect(createHoldTracker(sharedStore(), 'k').apply(click, T0, IDENTITY)).toHaveLength(1);
    expect(createHoldTracker(sharedStore(), 'k').apply(click, T0, IDENTITY)).toHaveLength(1);
  });

  it('starts afresh when stored state is garbage', () => {
    const store = sharedStore();
    store.set('k', '{"version":1,"call":{"held":"maybe"}}');
    const events = createHoldTracker(store, 'k').apply({ kind: 'holdClicked', held: true }, T0, IDENTITY);
    expect(events.map((e) => [e.type, e.data.holdSeq])).toEqual([['hold.started', 1]]);
  });
});
