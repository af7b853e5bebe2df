import type { OutputSpec } from '../config/hold-relay-option.ts';
import { hash53 } from '../hold/event-id.ts';
import type { HoldEvent, HoldEventType } from '../hold/types.ts';
import type { KeyValueStore } from '../storage/browser-storage.ts';

/**
 * Events between the click and their outbox. The hold state is saved at the click, but an output's
 * outbox takes the event only after the output's code loaded and IndexedDB opened: a page hidden in
 * between would keep the new state and lose the event. So the events are written beside the state, in
 * the same synchronous step, once per output that may queue them; each such output takes its own into
 * its outbox (which skips ids already queued or sent) and then crosses them off. One storage key per
 * output and event: no frame ever rewrites another frame's entry.
 *
 * Which outputs queue, and which event types they take, their definitions say (`queued`,
 * `defaultOn`), and a definition may still be loading at the click: until it is settled, an output
 * that may queue gets every event its entry does not exclude.
 */
export interface PendingJournal {
  /** Records `events` for every output that may take their type. */
  record(events: readonly HoldEvent[]): void;
  /** The entries of the output `key` (see journalKeyOf). */
  view(key: string): JournalView;
  /** Once the output's definition is known: the types it takes through its outbox, or null when it sends at once. */
  settle(key: string, on: ReadonlySet<HoldEventType> | null): void;
}

/** What one queued output sees of the journal. */
export interface JournalView {
  /** What is recorded for it, oldest first. */
  pending(): HoldEvent[];
  /** Its outbox holds these now (or will never need them). */
  taken(ids: readonly string[]): void;
}

/** An output that may queue: its key and the event types it takes (null: not known yet, any). */
export interface JournalTaker {
  key: string;
  on: ReadonlySet<HoldEventType> | null;
}

/** Nothing older is worth keeping: no output keeps an event longer (the longest maxAgeMs). */
const MAX_AGE_MS = 7 * 24 * 3600_000;

/**
 * Names an output's entries the same in every frame with the same configuration: its type and a
 * hash of its options (a secret among them never reaches storage).
 */
export const journalKeyOf = (spec: OutputSpec): string =>
  `${spec.type}:${hash53(JSON.stringify(spec.options)).toString(36)}`;

/** The entries of a configuration that may queue: `mayQueue` says which types can (their definitions do). */
export function journalTakers(specs: readonly OutputSpec[], mayQueue: (type: string) => boolean): JournalTaker[] {
  return specs
    .filter((spec) => mayQueue(spec.type))
    .map((spec) => ({ key: journalKeyOf(spec), on: spec.on ? new Set(spec.on) : null }));
}

export function createPendingJournal(
  store: KeyValueStore,
  prefix: string,
  takers: readonly JournalTaker[],
  now = Date.now,
): PendingJournal {
  const keyOf = (key: string) => `${prefix}${hash53(key).toString(36)}:`;
  const read = (storageKey: string): { key: string; event: HoldEvent } | null => {
    try {
      const value = JSON.parse(store.get(storageKey) ?? 'null') as { key?: unknown; event?: HoldEvent } | null;
      return value && typeof value.key === 'string' && value.event ? { key: value.key, event: value.event } : null;
    } catch {
      return null;
    }
  };
  const live = new Map(takers.map((t) => [t.key, t.on]));
  // Entries of outputs no longer configured, unreadable ones and old ones are never taken: drop them.
  for (const storageKey of store.keys(prefix)) {
    const entry = read(storageKey);
    if (!entry || !live.has(entry.key) || now() - Date.parse(entry.event.timestamp) > MAX_AGE_MS)
      store.remove(storageKey);
  }
  const entriesOf = (key: string) =>
    store.keys(keyOf(key)).flatMap((storageKey) => {
      const entry = read(storageKey);
      return entry?.key === key ? [{ storageKey, event: entry.event }] : [];
    });
  return {
    record(events) {
      for (const [key, on] of live) {
        for (const event of events) {
          if (on === null || on.has(event.type)) store.set(`${keyOf(key)}${event.id}`, JSON.stringify({ key, event }));
        }
      }
    },
    view: (key) => ({
      pending: () =>
        entriesOf(key)
          .map((e) => e.event)
          .sort((a, b) => a.timestamp.localeCompare(b.timestamp)),
      taken: (ids) => ids.forEach((id) => store.remove(`${keyOf(key)}${id}`)),
    }),
    settle(key, on) {
      if (!live.has(key)) return;
      if (on === null) live.delete(key);
      else live.set(key, on);
      for (const { storageKey, event } of entriesOf(key))
        if (on === null || !on.has(event.type)) store.remove(storageKey);
    },
  };
}
