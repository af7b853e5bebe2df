import { DEFAULT_ON, type OutputSpec } from '../config/hold-relay-option.ts';
import { hash53 } from '../hold/event-id.ts';
import { HOLD_EVENT_TYPES, type HoldEvent, type HoldEventType } from '../hold/types.ts';
import type { KeyValueStore } from '../storage/browser-storage.ts';

/**
 * Events between the click and their outbox. The hold state is saved at the click, but a webhook's
 * outbox takes the event only after the webhook's code loaded and IndexedDB opened: a page hidden in
 * between would keep the new state and lose the event. So the events are written beside the state, in
 * the same synchronous step, once per queued webhook that takes them; each webhook takes its own into
 * its outbox (which skips ids already queued or sent) and then crosses them off. One storage key per
 * webhook and event: no frame ever rewrites another frame's entry.
 */
export interface PendingJournal {
  /** Records `events` for every webhook that takes their type. */
  record(events: readonly HoldEvent[]): void;
  /** What is recorded for the receiver `url`, oldest first. */
  pending(url: string): HoldEvent[];
  /** The outbox of `url` holds these now (or will never need them). */
  taken(url: string, ids: readonly string[]): void;
}

/** A queued webhook: its receiver and the event types it takes. */
export interface JournalTaker {
  url: string;
  on: ReadonlySet<HoldEventType>;
}

/** Nothing older is worth keeping: no webhook keeps an event longer (the longest maxAgeMs). */
const MAX_AGE_MS = 7 * 24 * 3600_000;

/** The `url` under which the server output's events wait: one app server per portal, whatever its address. */
export const APP_SERVER_TAKER = 'app-server:';

/**
 * The outputs of a configuration whose events go through an outbox: queued webhooks (a confirming
 * one is never late) and the app server, which takes every event type by default.
 */
export function journalTakers(specs: readonly OutputSpec[]): JournalTaker[] {
  return specs.flatMap(({ type, options, on }): JournalTaker[] => {
    if (type === 'webhook' && options.confirm !== true && typeof options.url === 'string') return [{ url: options.url, on: new Set(on ?? DEFAULT_ON) }];
    if (type === 'server') return [{ url: APP_SERVER_TAKER, on: new Set(on ?? HOLD_EVENT_TYPES) }];
    return [];
  });
}

export function createPendingJournal(store: KeyValueStore, prefix: string, takers: readonly JournalTaker[], now = Date.now): PendingJournal {
  const keyOf = (url: string) => `${prefix}${hash53(url).toString(36)}:`;
  const read = (key: string): { url: string; event: HoldEvent } | null => {
    try {
      const value = JSON.parse(store.get(key) ?? 'null') as { url?: unknown; event?: HoldEvent } | null;
      return value && typeof value.url === 'string' && value.event ? { url: value.url, event: value.event } : null;
    } catch {
      return null;
    }
  };
  // Entries of webhooks no longer configured, unreadable ones and old ones are never taken: drop them.
  const urls = new Set(takers.map((t) => t.url));
  for (const key of store.keys(prefix)) {
    const entry = read(key);
    if (!entry || !urls.has(entry.url) || now() - Date.parse(entry.event.timestamp) > MAX_AGE_MS) store.remove(key);
  }
  return {
    record(events) {
      for (const taker of takers) {
        for (const event of events) {
          if (taker.on.has(event.type)) store.set(`${keyOf(taker.url)}${event.id}`, JSON.stringify({ url: taker.url, event }));
        }
      }
    },
    pending(url) {
      return store
        .keys(keyOf(url))
        .flatMap((key) => {
          const entry = read(key);
          return entry?.url === url ? [entry.event] : [];
        })
        .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    },
    taken(url, ids) {
      ids.forEach((id) => store.remove(`${keyOf(url)}${id}`));
    },
  };
}
