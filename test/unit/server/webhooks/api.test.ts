// @vitest-environment node
// Server-side webhooks through the real server, database and simulated portal: admins manage them,
// the server signs and delivers every stored event with the identity the portal confirmed. The
// 10 s outage has a file of its own (outage.test.ts): its server runs the dispatcher on a fake clock.
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { holdEvents, summaryEvent } from '../../../support/hold-events.ts';
import { useWebhookServer } from '../../../support/webhook-server.ts';
import { readSse } from '../api/sse-reader.ts';

const server = useWebhookServer();
const { receiver, create, send } = server;
const ALL = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'];
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('managing webhooks', () => {
  it('creates a webhook with a server-made secret shown once, and lists it without one', async () => {
    const r = await receiver();
    const created = await create({ url: r.url, on: ALL });
    expect(created.id).toMatch(/^wh_/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await (await server.stack.api('/api/webhooks')).json();
    expect(listed).toEqual({
      webhooks: [
        expect.objectContaining({
          id: created.id,
          url: r.url,
          on: ALL,
          confirm: false,
          timeoutMs: 3000,
          maxAgeMs: 86_400_000,
          stopped: null,
        }),
      ],
    });
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(6));
  });

  it('is for admins only: an operator gets 403 on every endpoint', async () => {
    const token = server.stack.tokenFor(7);
    expect((await server.stack.api('/api/webhooks', { token })).status).toBe(403);
    expect(
      (await server.stack.api('/api/webhooks', { token, body: { url: 'https://pbx.example.com/hook' } })).status,
    ).toBe(403);
    expect((await server.stack.api('/api/webhooks/wh_x/rotate', { token, method: 'POST' })).status).toBe(403);
    expect((await server.stack.api('/api/webhooks/wh_x/deliveries', { token })).status).toBe(403);
  });

  it('names the bad field, and refuses plain http to another machine', async () => {
    const check = async (body: unknown, field: string) => {
      const res = await server.stack.api('/api/webhooks', { body });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ field });
    };
    await check({ url: 'http://pbx.example.com/hook' }, 'url');
    await check({ url: 'https://pbx.example.com/hook', on: ['hold.paused'] }, 'on[0]');
    await check({ url: 'https://pbx.example.com/hook', timeoutMs: 50 }, 'timeoutMs');
    await check({ url: 'https://pbx.example.com/hook', secret: 'whsec_mine' }, 'secret');
  });
});

describe('delivery', () => {
  it('signs every event with the server-held secret; userId and domain are the verified ones', async () => {
    const r = await receiver();
    const { id, secret } = await create({ url: r.url, on: ALL });
    r.sink.secret = secret;
    const events = [
      ...holdEvents({ callId: 'd1', start: minutesAgo(2), heldMs: 5000 }),
      summaryEvent('d1', minutesAgo(1), 1),
    ];
    expect((await send(events)).status).toBe(200);
    await expect.poll(() => r.sink.delivered().length).toBe(3);
    expect(r.sink.summary()).toMatchObject({ badSignatures: 0, duplicates: 0 });
    const [first] = r.sink.delivered() as { id: string; verified: boolean; data: Record<string, unknown> }[];
    // The browser said user 999 of spoofed.example.com; the portal said user 7 of the simulator.
    expect(first).toMatchObject({
      id: events[0]?.id,
      verified: true,
      data: { userId: 7, domain: server.stack.domain, callId: 'd1' },
    });
    // The same batch again (a lost answer, or a second frame) queues nothing twice: the server answers
    // once it has stored and queued, so the queue shows it at once.
    expect((await send(events)).status).toBe(200);
    const { deliveries } = (await (await server.stack.api(`/api/webhooks/${id}/deliveries`)).json()) as {
      deliveries: { status: string }[];
    };
    expect(deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(r.sink.attempts.length).toBe(3);
  });

  it('signs with the old and the new secret after a rotation', async () => {
    const r = await receiver();
    const { id, secret: old } = await create({ url: r.url, on: ['hold.started'] });
    const rotated = (await (await server.stack.api(`/api/webhooks/${id}/rotate`, { method: 'POST' })).json()) as {
      secret: string;
      previousSecretUntil: string;
    };
    expect(rotated.secret).not.toBe(old);
    expect(Date.parse(rotated.previousSecretUntil) - Date.now()).toBeGreaterThan(23 * 3600_000);
    r.sink.secret = rotated.secret;
    await send(holdEvents({ callId: 'r1', start: minutesAgo(1), heldMs: 10 }).slice(0, 1));
    await expect.poll(() => r.sink.delivered().length).toBe(1);
    expect(r.sink.summary().badSignatures).toBe(0);
    const [headers] = r.headers;
    expect(headers?.['webhook-signature'].split(' ')).toHaveLength(2);
    // A receiver still on the old secret accepts it too (the body is re-serialised exactly as sent).
    const body = JSON.stringify(r.sink.attempts[0]?.event);
    expect(new Webhook(old).verify(body, headers ?? {})).toMatchObject({ type: 'hold.started' });
    expect(new Webhook(rotated.secret).verify(body, headers ?? {})).toMatchObject({ type: 'hold.started' });
  });

  it('stops at 410 Gone until an admin sends a delivery again', async () => {
    const r = await receiver();
    const { id } = await create({ url: r.url, on: ALL });
    r.status = 410;
    await send(holdEvents({ callId: 'g1', start: minutesAgo(1), heldMs: 10 }));
    await expect
      .poll(
        async () =>
          ((await (await server.stack.api('/api/webhooks')).json()) as { webhooks: { stopped: unknown }[] }).webhooks[0]
            ?.stopped,
      )
      .toMatchObject({ reason: expect.stringContaining('410') });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(r.sink.attempts).toHaveLength(1);
    r.status = null;
    const { deliveries } = (await (await server.stack.api(`/api/webhooks/${id}/deliveries`)).json()) as {
      deliveries: { id: string }[];
    };
    const retry = await server.stack.api(`/api/webhooks/${id}/deliveries/${deliveries.at(-1)?.id}/retry`, {
      method: 'POST',
    });
    expect(retry.status).toBe(202);
    await expect.poll(() => r.sink.delivered().length).toBe(2);
  });

  it('gives a permanent refusal up after three quick tries, with the answer in the log', async () => {
    const r = await receiver();
    const { id } = await create({ url: r.url, on: ['hold.started'] });
    r.status = 422;
    await send(holdEvents({ callId: 'p1', start: minutesAgo(1), heldMs: 10 }).slice(0, 1));
    await expect
      .poll(
        async () =>
          (
            (await (await server.stack.api(`/api/webhooks/${id}/deliveries`)).json()) as {
              deliveries: { status: string }[];
            }
          ).deliveries[0]?.status,
        { timeout: 10_000 },
      )
      .toBe('failed');
    expect(r.sink.attempts).toHaveLength(3);
    const { deliveries } = (await (await server.stack.api(`/api/webhooks/${id}/deliveries`)).json()) as {
      deliveries: { attempts: number; lastStatus: number; recent: { answer: string }[] }[];
    };
    expect(deliveries[0]).toMatchObject({ attempts: 3, lastStatus: 422, lastError: 'HTTP 422' });
    expect(deliveries[0]?.recent.map((a) => a.answer)).toEqual(['{"ok":true}', '{"ok":true}', '{"ok":true}']);
  });
});

describe('the queue in the listing', () => {
  it('lists how many deliveries wait for each webhook, the cap, and whether the queue is full', async () => {
    const r = await receiver();
    r.status = 503;
    const { id } = await create({ url: r.url, on: ALL });
    const list = async () =>
      (
        (await (await server.stack.api('/api/webhooks')).json()) as { webhooks: Record<string, unknown>[] }
      ).webhooks.find((w) => w.id === id);
    expect(await list()).toMatchObject({ pending: 0, maxPending: 10_000, capped: false, notQueued: 0 });
    await send(holdEvents({ callId: 'q1', start: minutesAgo(1), heldMs: 10 }));
    await expect.poll(() => r.sink.attempts.length).toBeGreaterThanOrEqual(1);
    expect(await list()).toMatchObject({ pending: 2, maxPending: 10_000, capped: false, notQueued: 0 });
  });
});

describe('POST /api/confirm', () => {
  it('refuses a timeoutMs out of 100..30000, or not a whole number, with 400 naming the field', async () => {
    for (const timeoutMs of [50, 30_001, 1.5, '3000']) {
      const [started] = holdEvents({ callId: `bad-timeout-${String(timeoutMs)}`, start: minutesAgo(1), heldMs: 10 });
      const answer = await server.stack.api('/api/confirm', {
        token: server.stack.tokenFor(7),
        body: { event: started, timeoutMs },
      });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ field: 'timeoutMs' });
    }
  });

  it('answers ok when the confirming receiver accepts, and the reason when it does not, within timeoutMs', async () => {
    const r = await receiver();
    const { id, secret } = await create({
      url: r.url,
      on: ['hold.started', 'hold.ended'],
      confirm: true,
      timeoutMs: 800,
    });
    r.sink.secret = secret;
    const [started, ended] = holdEvents({ callId: 'c1', start: minutesAgo(1), heldMs: 10 });
    const confirm = (event: unknown) =>
      server.stack.api('/api/confirm', { token: server.stack.tokenFor(7), body: { event, timeoutMs: 3000 } });
    // The hold it stores reaches the live view as one from /api/events does (the notice goes out as it commits).
    const live = readSse(await server.stack.api('/api/report/live', { headers: { accept: 'text/event-stream' } }));
    try {
      const callsHeld = () =>
        ((live.messages.at(-1) as { holding?: { callId: string }[] } | undefined)?.holding ?? []).map((h) => h.callId);
      await expect.poll(() => live.messages.length).toBe(1); // the list as it was: earlier tests left holds open
      expect(callsHeld()).not.toContain('c1');
      expect(await (await confirm(started)).json()).toEqual({ ok: true, receivers: 1 });
      await expect.poll(callsHeld).toContain('c1');
    } finally {
      await live.close();
    }
    expect(r.sink.delivered()).toHaveLength(1);
    r.sink.setMode('hang');
    const t0 = Date.now();
    const refused = await (await confirm(ended)).json();
    expect(refused).toEqual({ ok: false, reason: 'no answer within 800 ms', receivers: 1 });
    expect(Date.now() - t0).toBeLessThan(1500);
    // Confirmed holds are never queued for the confirming receiver: its log holds the two answers it
    // gave (or did not give) at once, and nothing pending that would arrive later.
    r.sink.setMode('ok');
    const { deliveries } = (await (await server.stack.api(`/api/webhooks/${id}/deliveries`)).json()) as {
      deliveries: { status: string }[];
    };
    expect(deliveries.map((d) => d.status).sort()).toEqual(['delivered', 'failed']);
    expect(r.sink.delivered()).toHaveLength(1);
  });
});

describe('DELETE /api/report/data', () => {
  it('deletes the webhooks\' delivered bodies and their attempts too, so "Send again" cannot send a deleted event', async () => {
    const r = await receiver();
    const { id } = await create({ url: r.url, on: ALL });
    await send(holdEvents({ callId: 'x1', start: minutesAgo(1), heldMs: 10, phoneNumber: '+19005550123' }));
    await expect.poll(() => r.sink.delivered().length).toBe(2);
    const log = async () =>
      ((await (await server.stack.api(`/api/webhooks/${id}/deliveries`)).json()) as { deliveries: { id: string }[] })
        .deliveries;
    const before = await log();
    expect(before).toHaveLength(2);
    const deleted = await server.stack.api('/api/report/data', { method: 'DELETE' });
    expect(await deleted.json()).toMatchObject({ deleted: { webhookDeliveries: 2 } });
    expect(await log()).toEqual([]);
    const retry = await server.stack.api(`/api/webhooks/${id}/deliveries/${before[0]?.id}/retry`, { method: 'POST' });
    expect(retry.status).toBe(409);
    // The webhook itself stays, and takes new events as before.
    await send(holdEvents({ callId: 'x2', start: minutesAgo(1), heldMs: 10 }).slice(0, 1));
    await expect.poll(() => r.sink.delivered().length).toBe(3);
    expect(r.sink.delivered().map((e) => (e.data as { callId: string }).callId)).toEqual(['x1', 'x1', 'x2']);
  });
});
