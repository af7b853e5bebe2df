// @vitest-environment node
// Server-side webhooks through the real server, database and simulated portal, a receiver down for
// 10 s (the guarantee is stated for that long). The dispatcher runs on a fake clock, so the outage
// and the pauses between tries pass in no time; the database, the receiver and HTTP are real.
import { describe, expect, it, vi } from 'vitest';
import { fakeClock } from '../../../support/fake-clock.ts';
import { holdEvents } from '../../../support/hold-events.ts';
import { useWebhookServer } from '../../../support/webhook-server.ts';

// A minute ahead of the real time: rows queued with the database's now are due at once on it.
const clock = fakeClock(Date.now() + 60_000);
const server = useWebhookServer({ clock });
const { receiver, create, send } = server;
const ALL = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'];
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('delivery', () => {
  it(
    'delivers everything in order per call after the receiver was down for 10 s, and logs the attempts',
    { timeout: 90_000 },
    async () => {
      const o1 = 'o1';
      const o2 = 'o2';
      const downSince = clock.now();
      const r = await receiver();
      const { id, secret } = await create({ url: r.url, on: ALL });
      r.sink.secret = secret;
      r.sink.setMode('fail');
      const a = [
        ...holdEvents({ callId: o1, seq: 1, start: minutesAgo(5), heldMs: 1000 }),
        ...holdEvents({ callId: o1, seq: 2, start: minutesAgo(4), heldMs: 1000 }),
      ];
      const b = holdEvents({ callId: o2, start: minutesAgo(3), heldMs: 1000 });
      expect((await send([a[2], a[0], ...b, a[3], a[1]].filter(Boolean))).status).toBe(200);
      // Each call's first event is tried at once and fails; the others wait behind it.
      type Row = { status: string; attempts: number; nextAttemptAt: string | null; recent: { status: number }[] };
      const deliveries = async () =>
        ((await (await server.stack.api(`/api/webhooks/${id}/deliveries`)).json()) as { deliveries: Row[] }).deliveries;
      /** Tries the dispatcher has recorded: a try that reached the receiver and is not among them is in flight. */
      const recorded = async () => (await deliveries()).reduce((sum, row) => sum + row.attempts, 0);
      await expect.poll(() => r.sink.attempts.length).toBe(2);
      await expect.poll(recorded).toBe(2);
      await expect.poll(() => clock.waiting().some((ms) => ms > 0 && ms <= 2_000)).toBe(true); // the first pause: 1 s at most
      const log = await deliveries();
      expect(log).toHaveLength(6);
      expect(log.filter((d) => d.recent[0]?.status === 503)).toHaveLength(2);
      expect(log.every((d) => d.status === 'pending' && d.nextAttemptAt)).toBe(true);
      // Tried again while it is down, each time its pause is over; nothing behind a head is sent.
      const upAgain = downSince + 10_000;
      const tried = r.sink.attempts.length;
      let done = await recorded();
      while (clock.now() < upAgain) {
        const next = clock.waiting()[0] ?? Infinity;
        if (clock.now() + next > upAgain) break;
        clock.advance(next);
        // The dispatcher is done with this try when it has recorded it, no try that reached the receiver is
        // still in flight, and it waits for the next one (the log's summary waits a minute). A try that never
        // reached the receiver counts too. Each crosses the real database and HTTP: on a loaded machine one
        // took over the default 10 s.
        done = await vi.waitFor(
          async () => {
            const count = await recorded();
            if (count <= done || count < r.sink.attempts.length || !clock.waiting().some((ms) => ms <= 30_000))
              throw new Error(`waiting for try ${done + 1} to be recorded`);
            return count;
          },
          { timeout: 30_000, interval: 50 },
        );
      }
      clock.advance(Math.max(0, upAgain - clock.now()));
      expect(r.sink.attempts.length).toBeGreaterThan(tried);
      expect(r.sink.delivered()).toHaveLength(0);
      // The receiver is back after 10 s: the next try of each head goes, and each call's next rows follow at once.
      r.sink.setMode('ok');
      clock.advance(5 * 60_000);
      await expect.poll(() => r.sink.delivered().length).toBe(6);
      const order = (call: string) =>
        r.sink
          .delivered()
          .filter((e) => (e.data as { callId: string }).callId === call)
          .map((e) => e.id);
      expect(order(o1)).toEqual(a.map((e) => e.id));
      expect(order(o2)).toEqual(b.map((e) => e.id));
      expect(r.sink.summary()).toMatchObject({ duplicates: 0, badSignatures: 0 });
    },
  );
});
