// @vitest-environment node
// Server-side webhooks through the real server, database and simulated portal, a receiver down for
// 10 s (the guarantee is stated for that long). On its own, so the wait runs beside other files.
import { describe, expect, it } from 'vitest';
import { holdEvents } from '../../../support/hold-events.ts';
import { useWebhookServer } from '../../../support/webhook-server.ts';

const server = useWebhookServer();
const { receiver, create, send } = server;
const ALL = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'];
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('delivery', () => {
  it('delivers everything in order per call after the receiver was down for 10 s, and logs the attempts', async () => {
    const r = await receiver();
    const { id, secret } = await create({ url: r.url, on: ALL });
    r.sink.secret = secret;
    r.sink.setMode('fail');
    const downSince = Date.now();
    const a = [...holdEvents({ callId: 'o1', seq: 1, start: minutesAgo(5), heldMs: 1000 }), ...holdEvents({ callId: 'o1', seq: 2, start: minutesAgo(4), heldMs: 1000 })];
    const b = holdEvents({ callId: 'o2', start: minutesAgo(3), heldMs: 1000 });
    expect((await send([a[2], a[0], ...b, a[3], a[1]].filter(Boolean))).status).toBe(200);
    await expect.poll(() => r.sink.attempts.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    const log = await (await server.stack.api(`/api/webhooks/${id}/deliveries`)).json() as { deliveries: { status: string; nextAttemptAt: string | null; recent: { status: number }[] }[] };
    expect(log.deliveries).toHaveLength(6);
    expect(log.deliveries.filter((d) => d.recent[0]?.status === 503).every((d) => d.status === 'pending' && d.nextAttemptAt)).toBe(true);
    // The outage lasts 10 s in all, as a receiver's restart might.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - downSince))));
    r.sink.setMode('ok');
    await expect.poll(() => r.sink.delivered().length, { timeout: 40_000 }).toBe(6);
    const order = (call: string) => r.sink.delivered().filter((e) => (e.data as { callId: string }).callId === call).map((e) => e.id);
    expect(order('o1')).toEqual(a.map((e) => e.id));
    expect(order('o2')).toEqual(b.map((e) => e.id));
    expect(r.sink.summary()).toMatchObject({ duplicates: 0, badSignatures: 0 });
  }, 90_000);
});
