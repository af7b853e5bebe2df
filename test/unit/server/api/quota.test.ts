// @vitest-environment node
// The daily quota through the real server: a portal stores EVENTS_PER_PORTAL_DAY events a UTC day,
// then gets 429 with Retry-After up to the next UTC midnight, on /api/events and /api/confirm.
import { describe, expect, it } from 'vitest';
import { holdEvents } from '../../../support/hold-events.ts';
import { useStatsStack } from '../../../support/use-stats-stack.ts';

const stack = useStatsStack({ EVENTS_PER_PORTAL_DAY: '3' });
const DAY_MS = 86_400_000;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const send = (events: unknown[], userId = 7) =>
  stack.api('/api/events', { token: stack.tokenFor(userId), body: { events } });

describe('events per portal per day', () => {
  it('answers 429 with Retry-After to the next UTC midnight once the portal stored its events of the day, for every user of it', async () => {
    expect(await (await send(holdEvents({ callId: 'q1', start: minutesAgo(5), heldMs: 1000 }))).json()).toEqual({
      stored: 2,
      duplicates: 0,
    });
    expect(await (await send(holdEvents({ callId: 'q2', start: minutesAgo(5), heldMs: 1000 }), 8)).json()).toEqual({
      stored: 2,
      duplicates: 0,
    });
    for (const userId of [7, 8]) {
      const before = Date.now();
      const refused = await send(holdEvents({ callId: `q3-${userId}`, start: minutesAgo(5), heldMs: 1000 }), userId);
      const after = Date.now();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({ error: expect.stringContaining('as many events as it may today') });
      const retryAfter = Number(refused.headers.get('retry-after'));
      const toMidnight = (now: number) => Math.ceil(((Math.floor(now / DAY_MS) + 1) * DAY_MS - now) / 1000);
      expect(retryAfter).toBeGreaterThanOrEqual(toMidnight(after));
      expect(retryAfter).toBeLessThanOrEqual(toMidnight(before));
    }
    const [started] = holdEvents({ callId: 'q4', start: minutesAgo(1), heldMs: 10 });
    const confirmed = await stack.api('/api/confirm', { token: stack.tokenFor(7), body: { event: started } });
    expect(confirmed.status).toBe(429);
  });
});
