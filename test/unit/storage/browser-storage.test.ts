// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { openBrowserStorage } from '../../../src/storage/browser-storage.ts';
import { recordingLogger } from '../../support/fixtures.ts';

const denied = (): Storage => {
  throw new DOMException(
    "Failed to read the 'localStorage' property from 'Window': Access is denied for this document.",
    'SecurityError',
  );
};

describe('browser storage', () => {
  afterEach(() => localStorage.clear());

  it('uses localStorage where the browser allows it', () => {
    const log = recordingLogger();
    const store = openBrowserStorage(log);
    store.set('k', 'v');
    expect([store.durable, store.get('k'), localStorage.getItem('k'), log.lines]).toEqual([true, 'v', 'v', []]);
  });

  it('works in memory with one warning when the browser denies storage (SecurityError)', () => {
    const log = recordingLogger();
    const store = openBrowserStorage(log, denied);
    store.set('k', 'v');
    expect([store.durable, store.get('k'), store.get('missing')]).toEqual([false, 'v', null]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(
      /^warn: browser storage is not available to this frame \(SecurityError: .*\): hold state is kept in memory/,
    );
  });

  it('keeps values in memory and warns once when writes start failing', () => {
    const log = recordingLogger();
    let full = false;
    const store = openBrowserStorage(
      log,
      () =>
        ({
          ...localStorage,
          getItem: (key: string) => localStorage.getItem(key),
          removeItem: (key: string) => localStorage.removeItem(key),
          setItem(key: string, value: string) {
            if (full) throw new DOMException('full', 'QuotaExceededError');
            localStorage.setItem(key, value);
          },
        }) as Storage,
    );
    full = true;
    store.set('a', '1');
    store.set('b', '2');
    expect([store.get('a'), store.get('b')]).toEqual(['1', '2']);
    expect(log.lines).toEqual([
      'warn: could not write browser storage (QuotaExceededError: full); keeping the value in memory',
    ]);
  });
});
