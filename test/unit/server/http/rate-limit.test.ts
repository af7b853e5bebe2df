import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../../src/server/http/rate-limit.ts';

function limiter(perKey: number, global: number, maxKeys = 100) {
  const clock = { t: 0 };
  return {
    clock,
    limit: createRateLimiter({ perKeyPerMinute: perKey, globalPerMinute: global, maxKeys, now: () => clock.t }),
  };
}

describe('createRateLimiter', () => {
  it('allows a burst up to the per-key rate, then says how long to wait', () => {
    const { limit } = limiter(3, 100);
    expect([1, 2, 3].map(() => limit.take('a'))).toEqual([0, 0, 0]);
    expect(limit.take('a')).toBe(20_000);
    expect(limit.take('b')).toBe(0);
  });

  it('refills tokens over time', () => {
    const { clock, limit } = limiter(3, 100);
    for (let i = 0; i < 3; i += 1) limit.take('a');
    clock.t = 20_000;
    expect(limit.take('a')).toBe(0);
    expect(limit.take('a')).toBeGreaterThan(0);
  });

  it('limits all keys together by the global rate', () => {
    const { limit } = limiter(10, 4);
    expect(['a', 'b', 'c', 'd'].map((k) => limit.take(k))).toEqual([0, 0, 0, 0]);
    expect(limit.take('e')).toBe(15_000);
  });

  it('does not spend a key token when the global bucket refuses', () => {
    const { clock, limit } = limiter(1, 1);
    expect(limit.take('a')).toBe(0);
    expect(limit.take('b')).toBeGreaterThan(0);
    clock.t = 60_000;
    expect(limit.take('b')).toBe(0);
  });

  it('has no shared limit when globalPerMinute is absent', () => {
    const limit = createRateLimiter({ perKeyPerMinute: 1, maxKeys: 10_000, now: () => 0 });
    expect(Array.from({ length: 5000 }, (_, i) => limit.take(`k${i}`)).every((wait) => wait === 0)).toBe(true);
  });

  it('still limits each key without a shared limit when requests come in the same millisecond, and later ones (regression: the unlimited bucket turned NaN and let everything through)', () => {
    const clock = { t: 1_000 };
    const limit = createRateLimiter({ perKeyPerMinute: 2, maxKeys: 10, now: () => clock.t });
    expect([limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([0, 0, 30_000]);
    clock.t += 5;
    expect(limit.take('a')).toBeGreaterThan(0);
    expect(limit.take('b')).toBe(0);
  });

  it('remembers at most maxKeys keys, forgetting the least recently seen', () => {
    const { limit } = limiter(1, 1_000_000, 3);
    for (let i = 0; i < 1000; i += 1) limit.take(`k${i}`);
    expect(limit.size()).toBe(3);
    expect(limit.take('k999')).toBeGreaterThan(0);
    expect(limit.take('k0')).toBe(0);
  });
});
