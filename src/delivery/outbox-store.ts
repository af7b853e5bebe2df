import { createStore, delMany, entries, get, setMany, type UseStore } from 'idb-keyval';
import type { HoldEvent } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';

/** One event waiting for one receiver. The operator's token is never stored: it is added per attempt. */
export interface OutboxEntry {
  key: string;
  receiver: string;
  event: HoldEvent;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

/**
 * Where undelivered events wait: IndexedDB shared by every worker frame of the portal in this
 * browser (so a frame that replaces a dead one delivers what it left), or this frame's memory when
 * the browser denies storage. Also remembers recently delivered event ids, so a click that two
 * frames both saw is delivered once.
 */
export interface OutboxStore {
  readonly durable: boolean;
  pending(receiver: string): Promise<OutboxEntry[]>;
  put(entries: OutboxEntry[]): Promise<void>;
  /** Removes entries; those delivered are remembered as sent at `sentAt`. */
  remove(keys: string[], sentAt?: number): Promise<void>;
  wasSent(key: string): Promise<boolean>;
  /** Forgets sent ids older than `before`. */
  forgetSentBefore(before: number): Promise<void>;
}

const QUEUED = 'q|';
const SENT = 's|';

export function memoryOutbox(): OutboxStore {
  const map = new Map<string, unknown>();
  return fromMap({
    durable: false,
    all: async () => [...map],
    get: async (key) => map.get(key),
    setMany: async (items) => items.forEach(([k, v]) => map.set(k, v)),
    delMany: async (keys) => keys.forEach((k) => map.delete(k)),
  });
}

/** IndexedDB through idb-keyval; falls back to memory, with one warning, where the browser denies it. */
export async function openOutbox(log: Logger, name = 'b24-hold-relay'): Promise<OutboxStore> {
  try {
    const store: UseStore = createStore(`${name}-outbox`, 'entries');
    await entries(store);
    return fromMap({
      durable: true,
      all: () => entries(store) as Promise<[string, unknown][]>,
      get: (key) => get(key, store),
      setMany: (items) => setMany(items, store),
      delMany: (keys) => delMany(keys, store),
    });
  } catch (error) {
    log.warn(
      `IndexedDB is not available to this frame (${error instanceof Error ? error.name : String(error)}): undelivered ` +
        'webhook events are kept in memory; those still undelivered when the operator leaves the page are sent once more as the frame closes, and lost if that fails',
    );
    return memoryOutbox();
  }
}

interface RawStore {
  durable: boolean;
  all(): Promise<[string, unknown][]>;
  get(key: string): Promise<unknown>;
  setMany(items: [string, unknown][]): Promise<void>;
  delMany(keys: string[]): Promise<void>;
}

function fromMap(raw: RawStore): OutboxStore {
  return {
    durable: raw.durable,
    async pending(receiver) {
      const prefix = `${QUEUED}${receiver}|`;
      return (await raw.all()).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v as OutboxEntry);
    },
    put: (list) => raw.setMany(list.map((entry) => [`${QUEUED}${entry.key}`, entry])),
    async remove(keys, sentAt) {
      await raw.delMany(keys.map((k) => `${QUEUED}${k}`));
      if (sentAt !== undefined) await raw.setMany(keys.map((k) => [`${SENT}${k}`, sentAt]));
    },
    async wasSent(key) {
      return (await raw.get(`${SENT}${key}`)) !== undefined;
    },
    async forgetSentBefore(before) {
      const old = (await raw.all()).filter(([k, v]) => k.startsWith(SENT) && typeof v === 'number' && v < before).map(([k]) => k);
      if (old.length > 0) await raw.delMany(old);
    },
  };
}
