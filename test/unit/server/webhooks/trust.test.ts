// @vitest-environment node
// What the server signs as verified, through the real server: only the contract's fields, one
// webhook-id per (portal, user, event id), and confirm mode only for the caller's own event, once.
import { describe, expect, it } from 'vitest';
import { holdEvents } from '../../../support/hold-events.ts';
import { useWebhookServer } from '../../../support/webhook-server.ts';

const server = useWebhookServer();
const { receiver, create, send } = server;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const confirm = (event: unknown, userId: number) =>
  server.stack.api('/api/confirm', { token: server.stack.tokenFor(userId), body: { event, timeoutMs: 2000 } });

describe('signed events', () => {
  it('drops fields the contract does not name: they are neither stored nor signed', async () => {
    const r = await receiver();
    const { secret } = await create({ url: r.url, on: ['hold.started'] });
    r.sink.secret = secret;
    const [started] = holdEvents({ callId: 'extra', start: minutesAgo(1), heldMs: 10 });
    const padded = { ...started, note: 'top', data: { ...started.data, junk: 'x'.repeat(2000), nested: { a: 1 } } };
    expect((await send([padded])).status).toBe(200);
    await expect.poll(() => r.sink.delivered().length).toBe(1);
    const [body] = r.sink.delivered() as { data: Record<string, unknown> }[];
    expect(Object.keys(body ?? {}).sort()).toEqual(['data', 'id', 'timestamp', 'type', 'verified']);
    expect(body?.data).not.toHaveProperty('junk');
    expect(body?.data).not.toHaveProperty('nested');
    expect(body?.data).toMatchObject({ callId: 'extra', userId: 7, domain: server.stack.domain });
    expect(r.sink.summary().badSignatures).toBe(0);
  });

  it("gives another user's event of the same id a webhook-id of its own, and every frame and retry of one user the same", async () => {
    const r = await receiver();
    await create({ url: r.url, on: ['hold.started'] });
    const [started] = holdEvents({ callId: 'same-id', start: minutesAgo(1), heldMs: 10 });
    expect((await send([started], 8)).status).toBe(200);
    expect((await send([started], 7)).status).toBe(200);
    expect((await send([started], 7)).status).toBe(200);
    await expect.poll(() => r.sink.delivered().length).toBe(2);
    const ids = r.headers.map((h) => h['webhook-id']);
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => id.startsWith('msg_') && id !== started.id)).toBe(true);
    expect((r.sink.delivered() as { data: { userId: number } }[]).map((e) => e.data.userId).sort()).toEqual([7, 8]);
  });
});

describe('POST /api/confirm', () => {
  it("confirms only the caller's own event: user 8 confirming user 7's predicted event leaves user 7's real confirm to reach the receiver", async () => {
    const r = await receiver();
    await create({ url: r.url, on: ['hold.started', 'hold.ended'], confirm: true, timeoutMs: 2000 });
    const [started] = holdEvents({ callId: 'predicted', start: minutesAgo(1), heldMs: 10 });
    expect(await (await confirm(started, 8)).json()).toEqual({ ok: true, receivers: 1 });
    expect(await (await confirm(started, 7)).json()).toEqual({ ok: true, receivers: 1 });
    const delivered = r.sink.delivered() as { data: { userId: number } }[];
    expect(delivered.map((e) => e.data.userId)).toEqual([8, 7]);
    expect(new Set(r.headers.map((h) => h['webhook-id'])).size).toBe(2);
  });

  it('answers a repeated confirm as the receiver answered the first, without sending it again', async () => {
    const r = await receiver();
    await create({ url: r.url, on: ['hold.started', 'hold.ended'], confirm: true, timeoutMs: 2000 });
    const [started, ended] = holdEvents({ callId: 'twice', start: minutesAgo(1), heldMs: 10 });
    expect(await (await confirm(started, 7)).json()).toEqual({ ok: true, receivers: 1 });
    expect(await (await confirm(started, 7)).json()).toEqual({ ok: true, receivers: 1 });
    expect(r.sink.attempts).toHaveLength(1);
    r.status = 422;
    expect(await (await confirm(ended, 7)).json()).toEqual({ ok: false, reason: 'HTTP 422', receivers: 1 });
    r.status = null;
    expect(await (await confirm(ended, 7)).json()).toEqual({ ok: false, reason: 'HTTP 422', receivers: 1 });
    expect(r.sink.attempts).toHaveLength(2);
  });
});
