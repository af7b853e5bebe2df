import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
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
 * frames both saw is delivered once. Every method is one transaction that reads only what it needs:
 * the cost of a click does not grow with the events already delivered.
 */
export interface OutboxStore {
  readonly durable: boolean;
  /** Queues each entry unless the same key is queued or was sent, in one transaction; resolves how many it queued. */
  add(entries: OutboxEntry[]): Promise<number>;
  pending(receiver: string): Promise<OutboxEntry[]>;
  put(entries: OutboxEntry[]): Promise<void>;
  /** Removes entries; those delivered are remembered as sent at `sentAt`. */
  remove(keys: string[], sentAt?: number): Promise<void>;
  /** Forgets sent ids older than `before`. */
  forgetSentBefore(before: number): Promise<void>;
  /** The configuration a receiver answered 410 Gone to, or null. */
  stopped(receiver: string): Promise<string | null>;
  /** Remembers that the receiver, in configuration `config`, answered 410 Gone. */
  stop(receiver: string, config: string): Promise<void>;
}

/**
 * Which outbox queue a receiver URL's events for one portal wait in, the same in every frame and on
 * the app page: the portal, and a full SHA-256 of the URL (no two receivers ever share a queue).
 */
export async function receiverId(portal: string, url: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(url)));
  return `${portal}:${Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

const QUEUED = 'q|';
const SENT = 's|';
const GONE = 'g|';

/** The few operations the outbox needs, each one transaction. Keys sort as strings. */
interface Backend {
  durable: boolean;
  entries(prefix: string): Promise<[string, unknown][]>;
  count(prefix: string): Promise<number>;
  write(remove: string[], set: [string, unknown][]): Promise<void>;
  /** Sets each `key` unless it or its `unless` key holds a value; resolves how many it set. */
  setIfAbsent(items: { key: string; value: unknown; unless: string }[]): Promise<number>;
}

export function memoryOutbox(): OutboxStore {
  return outbox(memoryBackend());
}

/**
 * The portal's outbox: one IndexedDB database per portal (through idb-keyval); falls back to memory,
 * with one warning, where the browser denies it.
 */
export async function openOutbox(
  log: Logger,
  portal: string,
  openStore = (name: string): UseStore => createStore(name, 'entries'),
): Promise<OutboxStore> {
  try {
    const backend = indexedDbBackend(() => openStore(`b24-hold-relay-outbox:${portal}`));
    await backend.count(QUEUED);
    return outbox(backend);
  } catch (error) {
    log.warn(
      `IndexedDB is not available to this frame (${error instanceof Error ? error.name : String(error)}): undelivered ` +
        'webhook events are kept in memory; those still undelivered when the operator leaves the page are sent once more as the frame closes, and lost if that fails',
    );
    return memoryOutbox();
  }
}

function outbox(backend: Backend): OutboxStore {
  const queued = (receiver: string) => `${QUEUED}${receiver}|`;
  return {
    durable: backend.durable,
    add: (list) =>
      backend.setIfAbsent(
        list.map((entry) => ({ key: `${QUEUED}${entry.key}`, value: entry, unless: `${SENT}${entry.key}` })),
      ),
    pending: async (receiver) => (await backend.entries(queued(receiver))).map(([, v]) => v as OutboxEntry),
    put: (list) =>
      backend.write(
        [],
        list.map((entry) => [`${QUEUED}${entry.key}`, entry]),
      ),
    remove: (keys, sentAt) =>
      backend.write(
        keys.map((k) => `${QUEUED}${k}`),
        sentAt === undefined ? [] : keys.map((k) => [`${SENT}${k}`, sentAt]),
      ),
    async forgetSentBefore(before) {
      const old = (await backend.entries(SENT))
        .filter(([, at]) => typeof at !== 'number' || at < before)
        .map(([k]) => k);
      if (old.length > 0) await backend.write(old, []);
    },
    async stopped(receiver) {
      const config = (await backend.entries(`${GONE}${receiver}`)).find(([k]) => k === `${GONE}${receiver}`)?.[1];
      return typeof config === 'string' ? config : null;
    },
    stop: (receiver, config) => backend.write([], [[`${GONE}${receiver}`, config]]),
  };
}

function memoryBackend(): Backend {
  const map = new Map<string, unknown>();
  const matching = (prefix: string) =>
    [...map].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    durable: false,
    entries: async (prefix) => matching(prefix),
    count: async (prefix) => matching(prefix).length,
    async write(remove, set) {
      remove.forEach((k) => map.delete(k));
      set.forEach(([k, v]) => map.set(k, v));
    },
    async setIfAbsent(items) {
      let set = 0;
      for (const { key, value, unless } of items) {
        if (map.has(key) || map.has(unless)) continue;
        map.set(key, value);
        set++;
      }
      return set;
    },
  };
}

/**
 * The browser may close a database connection (storage pressure, the user clearing data): the next
 * transaction then throws InvalidStateError. The connection is opened again and the call retried once.
 */
function reopening(open: () => UseStore): UseStore {
  let current = open();
  return async (mode, callback) => {
    try {
      return await current(mode, callback);
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
      current = open();
      return current(mode, callback);
    }
  };
}

function indexedDbBackend(open: () => UseStore): Backend {
  const store = reopening(open);
  const range = (prefix: string) => IDBKeyRange.bound(prefix, `${prefix}\uffff`);
  return {
    durable: true,
    entries: (prefix) =>
      store('readonly', async (s) => {
        const [keys, values] = await Promise.all([
          promisifyRequest(s.getAllKeys(range(prefix))),
          promisifyRequest(s.getAll(range(prefix))),
        ]);
        return keys.map((k, i): [string, unknown] => [String(k), values[i]]);
      }),
    count: (prefix) => store('readonly', (s) => promisifyRequest(s.count(range(prefix)))),
    write: (remove, set) =>
      store('readwrite', (s) => {
        remove.forEach((k) => s.delete(k));
        set.forEach(([k, v]) => s.put(v, k));
        return promisifyRequest(s.transaction);
      }),
    setIfAbsent: (items) =>
      store('readwrite', (s) => {
        const taken = new Set<string>();
        for (const k of items.flatMap((i) => [i.key, i.unless])) {
          s.getKey(k).onsuccess = (event) => {
            if ((event.target as IDBRequest).result !== undefined) taken.add(k);
          };
        }
        // Requests of one transaction complete in order: this one answers after every lookup above.
        const lookedUp = s.count(IDBKeyRange.only(''));
        return new Promise<number>((resolve, reject) => {
          lookedUp.onsuccess = () => {
            const fresh = items.filter((i) => !taken.has(i.key) && !taken.has(i.unless));
            fresh.forEach((i) => s.put(i.value, i.key));
            resolve(promisifyRequest(s.transaction).then(() => fresh.length));
          };
          lookedUp.onerror = () => reject(lookedUp.error);
        });
      }),
  };
}
