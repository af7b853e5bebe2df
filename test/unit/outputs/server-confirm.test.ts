// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://relay.example.com/" }
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createExclusive } from '../../../src/delivery/exclusive.ts';
import { memoryOutbox } from '../../../src/delivery/outbox-store.ts';
import server from '../../../src/outputs/server.ts';
import { createOutput, outputContext, recordingLogger, recordingPortal, sampleEvent } from '../../support/fixtures.ts';

type Answer = { status: number; body: unknown } | 'hang';

/** The app's server behind a fake fetch: /api/confirm answers the queued answers; /api/events stores. */
function appServer(answers: Answer[]) {
  const confirms: { url: string; body: unknown; authorization: string }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      if (!url.endsWith('/api/confirm')) return new Response('{"stored":1,"duplicates":0}');
      confirms.push({
        url,
        body: JSON.parse(String(init.body)),
        authorization: (init.headers as Record<string, string>).authorization ?? '',
      });
      const answer = answers.shift() ?? { status: 200, body: { ok: true } };
      if (answer === 'hang') {
        return new Promise<Response>((_resolve, reject) =>
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        );
      }
      return new Response(JSON.stringify(answer.body), { status: answer.status });
    }),
  );
  return confirms;
}

const made: { dispose?(): void }[] = [];

function make(options: Record<string, unknown>) {
  const portal = recordingPortal();
  portal.operatorToken = async (o) => (o?.renew ? 'token-2' : 'token-1');
  const delivery = { outbox: Promise.resolve(memoryOutbox()), exclusive: createExclusive(undefined) };
  const output = createOutput(
    server,
    { type: 'server', ...options },
    outputContext({ portal, log: recordingLogger(), delivery, label: 'outputs[0] (server)' }),
  );
  made.push(output);
  return output;
}

describe('server output in confirm mode', () => {
  afterEach(() => {
    for (const output of made.splice(0)) output.dispose?.();
  });
  // Queued sends of a test may still be on their way after it: they reach the next test's fake server
  // (which only records /api/confirm), never the network, so no test waits for them.
  afterAll(() => vi.unstubAllGlobals());

  it('asks /api/confirm for hold changes and answers what the server said', async () => {
    const confirms = appServer([
      { status: 200, body: { ok: true, receivers: 1 } },
      { status: 200, body: { ok: false, reason: 'HTTP 503', receivers: 1 } },
    ]);
    const output = make({ confirm: true, timeoutMs: 1500 });
    expect(output.confirms).toBe(true);
    expect(await output.send(sampleEvent('hold.started'))).toEqual({ ok: true });
    expect(await output.send(sampleEvent('hold.ended'))).toEqual({ ok: false, reason: 'HTTP 503' });
    expect(await output.send(sampleEvent('call.summary'))).toBeUndefined();
    expect(confirms.map((c) => c.body)).toEqual([
      { event: expect.objectContaining({ type: 'hold.started' }), timeoutMs: 1500 },
      { event: expect.objectContaining({ type: 'hold.ended' }), timeoutMs: 1500 },
    ]);
    expect(confirms[0]?.url).toBe('https://relay.example.com/api/confirm');
  });

  it('fails when the server does not answer within timeoutMs and a little', async () => {
    appServer(['hang']);
    const output = make({ confirm: true, timeoutMs: 200 });
    const t0 = Date.now();
    expect(await output.send(sampleEvent('hold.started'))).toEqual({ ok: false, reason: 'no answer within 200 ms' });
    expect(Date.now() - t0).toBeLessThan(1200);
  });

  it('renews the token once when the server says the portal refused it', async () => {
    const confirms = appServer([
      { status: 401, body: { error: 'refused' } },
      { status: 200, body: { ok: true } },
    ]);
    expect(await make({ confirm: true }).send(sampleEvent('hold.started'))).toEqual({ ok: true });
    expect(confirms.map((c) => c.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('does not confirm without confirm: true', async () => {
    const confirms = appServer([]);
    const output = make({});
    expect(output.confirms).toBeUndefined();
    expect(await output.send(sampleEvent('hold.started'))).toBeUndefined();
    expect(confirms).toEqual([]);
  });
});
