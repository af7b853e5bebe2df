import type { Logger } from '../log/logger.ts';

/** Synchronous key-value storage: localStorage where the browser allows it, this frame's memory otherwise. */
export interface KeyValueStore {
  /** False when the browser denied storage and values live only as long as this frame. */
  readonly durable: boolean;
  get(key: string): string | null;
  set(key: string, value: string): void;
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
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
