import { describe, expect, it } from 'vitest';
import { MAX_DELAY_MS, MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay } from '../../../src/contract/retry-schedule.ts';

describe('retry schedule', () => {
  it('doubles the pause after each failure, up to five minutes', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 9, 10, 60].map((n) => retryDelay(n, top))).toEqual([
      1000,
      2000,
      4000,
      8000,
      16000,
      256000,
      MAX_DELAY_MS,
      MAX_DELAY_MS,
    ]);
  });

  it('spreads each pause between half and all of its ceiling', () => {
    expect(retryDelay(3, () => 0)).toBe(2000);
    expect(retryDelay(3, () => 0.5)).toBe(3000);
  });

  it('waits at least as long as the receiver asked, within an hour', () => {
    expect(retryDelay(1, () => 0, 30_000)).toBe(30_000);
    expect(retryDelay(9, () => 0.999999, 1_000)).toBe(256_000);
    expect(retryDelay(1, () => 0, 10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect([
      parseRetryAfter(null, now),
      parseRetryAfter('', now),
      parseRetryAfter('soon', now),
      parseRetryAfter('-5', now),
    ]).toEqual([null, null, null, null]);
  });
});
