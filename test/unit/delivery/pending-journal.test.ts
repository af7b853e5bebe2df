import { describe, expect, it } from 'vitest';
import { DEFAULT_ON, type OutputSpec } from '../../../src/config/hold-relay-option.ts';
import {
  createPendingJournal,
  journalKeyOf,
  journalTakers,
  type PendingJournal,
} from '../../../src/delivery/pending-journal.ts';
import { mayQueue } from '../../../src/outputs/index.ts';
import type { KeyValueStore } from '../../../src/storage/browser-storage.ts';
import { createHoldTracker } from '../../../src/worker/hold-tracker.ts';
import { CONTEXT, IDENTITY } from '../../support/fixtures.ts';

/** Stands for localStorage: kept when a frame goes. */
function lastingStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    durable: true,
    get: (k) => map.get(k) ?? null,
    set: (k, v) => void map.set(k, v),
    remove: (k) => void map.delete(k),
    keys: (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)),
  };
}

const HOOK = 'https://pbx.example.com/hold';
const OTHER = 'https://crm.example.com/hold';
const PREFIX = 'b24-hold-relay:v1:member-1:pending:';
const specs: OutputSpec[] = [
  { index: 0, label: 'outputs[0] (webhook)', type: 'webhook', on: null, options: { type: 'webhook', url: HOOK } },
  {
    index: 1,
    label: 'outputs[1] (webhook)',
    type: 'webhook',
    on: ['call.summary'],
    options: { type: 'webhook', url: OTHER },
  },
  {
    index: 2,
    label: 'outputs[2] (webhook)',
    type: 'webhook',
    on: null,
    options: { type: 'webhook', url: 'https://x.example/', confirm: true },
  },
  { index: 3, label: 'outputs[3] (log)', type: 'log', on: null, options: { type: 'log' } },
];
const takers = journalTakers(specs, mayQueue);
const [hook, other, confirming] = specs.map(journalKeyOf) as [string, string, string];

/** What the webhook's definition says once loaded: a queued one takes its types, a confirming one none. */
function settle(journal: PendingJournal): void {
  journal.settle(hook, new Set(DEFAULT_ON));
  journal.settle(other, new Set(['call.summary'] as const));
  journal.settle(confirming, null);
}

describe('the pending journal', () => {
  it('keeps the events of a click saved with the state, for a later frame, when the frame goes before any outbox took them', () => {
    const storage = lastingStore();
    const journal = createPendingJournal(storage, PREFIX, takers);
    settle(journal);
    const tracker = createHoldTracker(storage, 'state', (events) => journal.record(events));
    tracker.apply({ kind: 'callInitialized', context: CONTEXT, connected: false }, Date.now(), IDENTITY);
    const [started] = tracker.apply({ kind: 'holdClicked', held: true }, Date.now(), IDENTITY);
    // The frame goes here. The next one reads the same storage:
    const next = createPendingJournal(storage, PREFIX, takers);
    expect(next.view(hook).pending()).toEqual([started]);
    expect(next.view(other).pending()).toEqual([]);
    next.view(hook).taken([started?.id ?? '']);
    expect(next.view(hook).pending()).toEqual([]);
    expect([...storage.map.keys()]).toEqual(['state']);
  });

  it('records only for queued webhooks that take the type, and drops entries of webhooks no longer configured', () => {
    const storage = lastingStore();
    const gone = { key: 'webhook:gone', on: new Set(['hold.started'] as const) };
    const old = createPendingJournal(storage, PREFIX, [...takers, gone]);
    settle(old);
    const tracker = createHoldTracker(storage, 'state', (events) => old.record(events));
    tracker.apply({ kind: 'callInitialized', context: CONTEXT, connected: false }, Date.now(), IDENTITY);
    tracker.apply({ kind: 'holdClicked', held: true }, Date.now(), IDENTITY);
    expect(takers.map((t) => t.key)).toEqual([hook, other, confirming]);
    expect(storage.map.size).toBe(3);
    createPendingJournal(storage, PREFIX, takers);
    expect(storage.map.size).toBe(2);
  });

  it('records every event for an output whose code is still loading, and keeps only what its definition takes once settled', () => {
    const storage = lastingStore();
    const journal = createPendingJournal(storage, PREFIX, takers);
    const tracker = createHoldTracker(storage, 'state', (events) => journal.record(events));
    tracker.apply({ kind: 'callInitialized', context: CONTEXT, connected: false }, Date.now(), IDENTITY);
    const [started] = tracker.apply({ kind: 'holdClicked', held: true }, Date.now(), IDENTITY);
    expect([hook, other, confirming].map((key) => journal.view(key).pending())).toEqual([[started], [], [started]]);
    settle(journal);
    expect([hook, other, confirming].map((key) => journal.view(key).pending())).toEqual([[started], [], []]);
  });

  it('leaves out outputs that never queue: their definitions are here and say so', () => {
    expect(journalTakers(specs, mayQueue).map((t) => t.key)).not.toContain(journalKeyOf(specs[3] as OutputSpec));
    expect(journalKeyOf(specs[0] as OutputSpec)).not.toContain(HOOK);
  });
});
