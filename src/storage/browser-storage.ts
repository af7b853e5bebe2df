import type { Logger } from '../log/logger.ts';

/** Synchronous key-value storage: localStorage where the browser allows it, this frame's memory otherwise. */
export interface KeyValueStore {
  /** False when the browser denied storage and values live only as long as this frame. */
  readonly durable: boolean;
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** The keys that start with `prefix`. */
  keys(prefix: string): string[];
}

/**
 * A third-party frame in a browser that blocks third-party cookies (a fresh headless profile,
 * incognito) gets SecurityError on any storage access; then everything works in memory and the
 * log says once what that costs.
 */
export function openBrowserStorage(log: Logger, getStorage: () => Storage = () => window.localStorage): KeyValueStore {
  const probeKey = 'b24-hold-relay:probe';
  const memory = new Map<string, string>();
  const inMemory: KeyValueStore = {
    durable: false,
    get: (key) => memory.get(key) ?? null,
    set: (key, value) => void memory.set(key, value),
    remove: (key) => void memory.delete(key),
    keys: (prefix) => [...memory.keys()].filter((key) => key.startsWith(prefix)),
  };
  let storage: Storage;
  try {
    storage = getStorage();
    storage.setItem(probeKey, '1');
    storage.removeItem(probeKey);
  } catch (error) {
    log.warn(
      `browser storage is not available to this frame (${errorName(error)}): hold state is kept in memory, ` +
        'so a hold running when the operator opens another page is reported from that page on',
    );
    return inMemory;
  }
  let warned = false;
  return {
    durable: true,
    get(key) {
      try {
        return storage.getItem(key) ?? memory.get(key) ?? null;
      } catch {
        return memory.get(key) ?? null;
      }
    },
    set(key, value) {
      memory.set(key, value);
      try {
        storage.setItem(key, value);
      } catch (error) {
        if (!warned) log.warn(`could not write browser storage (${errorName(error)}); keeping the value in memory`);
        warned = true;
      }
    },
    remove(key) {
      memory.delete(key);
      try {
        storage.removeItem(key);
      } catch {
        // Nothing to keep: the value is gone from memory, and storage refuses all access now.
      }
    },
    keys(prefix) {
      const found = new Set([...memory.keys()].filter((key) => key.startsWith(prefix)));
      try {
        for (let i = 0; i < storage.length; i++) {
          const key = storage.key(i);
          if (key?.startsWith(prefix)) found.add(key);
        }
      } catch {
        // Storage refuses access now: what this frame wrote is still in memory.
      }
      return [...found];
    },
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
