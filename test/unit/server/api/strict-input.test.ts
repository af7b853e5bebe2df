// @vitest-environment node
// What the server takes, through the real server: a body nested too deep is refused before it is
// parsed and fails only its own sender, timestamps must fall within the server's window, and
// strings are bounded.
import { describe, expect, it } from 'vitest';
import { holdEvents } from '../../../support/hold-events.ts';
import { useStatsStack } from '../../../support/use-stats-stack.ts';

const stack = useStatsStack();
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const send = (body: unknown, userId = 7) => stack.api('/api/events', { token: stack.tokenFor(userId), body });

describe('one bad batch', () => {
  it('refuses a field nested 5,000 levels deep with 400, while every honest batch sent beside it is stored', async () => {
    const [one] = holdEvents({ callId: 'deep', start: minutesFromNow(-5), heldMs: 1 });
    const deep = `{"events":[${JSON.stringify({ ...one, data: { ...one.data, x: null } }).replace('"x":null', `"x":${'['.repeat(5000)}${']'.repeat(5000)}`)}]}`;
    expect(deep.length).toBeGreaterThan(10_000);
    const honest = Array.from({ length: 12 }, (_, i) =>
      send({ events: holdEvents({ callId: `honest-${i}`, start: minutesFromNow(-5), heldMs: 1000 }) }, i % 2 ? 7 : 8),
    );
    const [bad, ...rest] = await Promise.all([send(deep), ...honest]);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringContaining('nested more than 32 levels'), field: 'body' });
    expect(rest.map((r) => r.status)).toEqual(Array(12).fill(200));
  });

  it('refuses a NUL in a string with 400 and its field', async () => {
    const [one] = holdEvents({ callId: 'nul', start: minutesFromNow(-5), heldMs: 1 });
    const res = await send({ events: [{ ...one, data: { ...one.data, phoneNumber: 'a\u0000b' } }] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'events[0].data.phoneNumber' });
  });
});

describe('timestamps and strings', () => {
  it('refuses an event dated 100 days back, or more than 10 minutes ahead, with 400 naming its timestamp', async () => {
    const [one] = holdEvents({ callId: 'when', start: minutesFromNow(-5), heldMs: 1 });
    for (const timestamp of [minutesFromNow(-100 * 24 * 60), minutesFromNow(-7 * 24 * 60 - 1), minutesFromNow(11)]) {
      const res = await send({ events: [one, { ...one, id: 'late', timestamp }] });
      expect(res.status, timestamp).toBe(400);
      expect(await res.json()).toEqual({
        error: expect.stringMatching(/^events\[1\]\.timestamp: is more than/),
        field: 'events[1].timestamp',
      });
    }
    expect(
      await (
        await send({
          events: [
            { ...one, timestamp: minutesFromNow(-6 * 24 * 60) },
            { ...one, id: 'soon', timestamp: minutesFromNow(9) },
          ],
        })
      ).json(),
    ).toEqual({ stored: 2, duplicates: 0 });
  });

  it('refuses a string longer than its field allows, naming the field', async () => {
    const [one] = holdEvents({ callId: 'long', start: minutesFromNow(-5), heldMs: 1 });
    const check = async (data: Record<string, unknown>, field: string) => {
      const res = await send({ events: [{ ...one, data: { ...one.data, ...data } }] });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ field });
    };
    await check({ callId: 'c'.repeat(201) }, 'events[0].data.callId');
    await check({ phoneNumber: '1'.repeat(65) }, 'events[0].data.phoneNumber');
    await check({ memberId: 'm'.repeat(65) }, 'events[0].data.memberId');
  });
});
