import { describe, expect, it } from 'vitest';
import { createPortalQuota } from '../../../../src/server/holds/quota.ts';

const DAY_MS = 86_400_000;
const NOON = Date.parse('2030-03-10T12:00:00Z');

describe('the daily quota', () => {
  it('lets a portal store until its count of the day reaches the quota, then waits to the next UTC midnight', () => {
    const quota = createPortalQuota(100);
    expect(quota.waitMs('a', NOON)).toBe(0);
    quota.note({ a: 99, b: 100 }, NOON);
    expect(quota.waitMs('a', NOON)).toBe(0);
    expect(quota.waitMs('b', NOON)).toBe(DAY_MS / 2);
    quota.note({ a: 100 }, NOON + 1000);
    expect(quota.waitMs('a', NOON + 1000)).toBe(DAY_MS / 2 - 1000);
  });

  it('never lowers a count an older answer reported, and starts every portal afresh at midnight', () => {
    const quota = createPortalQuota(10);
    quota.note({ a: 12 }, NOON);
    quota.note({ a: 5 }, NOON);
    expect(quota.waitMs('a', NOON)).toBeGreaterThan(0);
    expect(quota.waitMs('a', NOON + DAY_MS / 2)).toBe(0);
  });
});
