// The live-stream caps on their own: per user, per portal, in total, and slots given back.
import { describe, expect, it } from 'vitest';
import { createStreamSlots, STREAM_CAPS } from '../../../../src/server/holds/stream-slots.ts';

describe('createStreamSlots', () => {
  it('caps by default at 5 streams a user, 50 a portal and 500 in all', () => {
    expect(STREAM_CAPS).toEqual({ perUser: 5, perPortal: 50, total: 500 });
  });

  it("refuses a user's 6th stream with 429 and Retry-After while other users still get theirs", () => {
    const slots = createStreamSlots();
    expect(Array.from({ length: 5 }, () => slots.acquire('a.example.com', 1).ok)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(slots.acquire('a.example.com', 1)).toMatchObject({
      ok: false,
      status: 429,
      retryAfterS: 30,
      error: expect.stringContaining('5 live streams'),
    });
    expect(slots.acquire('a.example.com', 2).ok).toBe(true);
    expect(slots.acquire('b.example.com', 1).ok).toBe(true);
  });

  it("refuses a portal's 51st stream while other portals still get theirs", () => {
    const slots = createStreamSlots();
    for (let user = 1; user <= 10; user++)
      for (let i = 0; i < 5; i++) expect(slots.acquire('a.example.com', user).ok).toBe(true);
    expect(slots.acquire('a.example.com', 11)).toMatchObject({ ok: false, status: 429 });
    expect(slots.acquire('b.example.com', 11).ok).toBe(true);
  });

  it('keeps one admin who opens stream after stream from locking another portal out', () => {
    const slots = createStreamSlots();
    const taken = Array.from({ length: 500 }, () => slots.acquire('a.example.com', 1)).filter((slot) => slot.ok).length;
    expect(taken).toBe(5);
    expect(slots.acquire('b.example.com', 1).ok).toBe(true);
  });

  it("answers 503 once the server's total is reached", () => {
    const slots = createStreamSlots({ perUser: 5, perPortal: 50, total: 3 });
    for (const portal of ['a', 'b', 'c']) expect(slots.acquire(portal, 1).ok).toBe(true);
    expect(slots.acquire('d', 1)).toMatchObject({ ok: false, status: 503 });
  });

  it('gives a slot back when its stream closes, once however often release is called', () => {
    const slots = createStreamSlots({ perUser: 1, perPortal: 2, total: 10 });
    const first = slots.acquire('a', 1);
    if (!first.ok) throw new Error(first.error);
    expect(slots.acquire('a', 1).ok).toBe(false);
    first.release();
    first.release();
    expect(slots.open()).toBe(0);
    expect(slots.acquire('a', 1).ok).toBe(true);
    expect(slots.acquire('a', 2).ok).toBe(true);
    expect(slots.acquire('a', 3).ok).toBe(false);
  });
});
