// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://relay.example.com/" }
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createExclusive } from '../../../src/delivery/exclusive.ts';
import { memoryOutbox } from '../../../src/delivery/outbox-store.ts';
import server from '../../../src/outputs/server.ts';
import { createOutput, outputContext, recordingLogger, recordingPortal, sampleEvent } from '../../support/fixtures.ts';
import { testOutputConformance } from '../../support/output-conformance.ts';

interface Request {
  url: string;
  headers: Record<string, string>;
  body: { events: { id: string }[] };
}

/** The app's server behind a fake fetch: answers the queued statuses, then 200. */
function appServer(statuses: number[] = []) {
  const requests: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      requests.push({ url, headers: init.headers as Record<string, string>, body: JSON.parse(String(init.body)) });
      const status = statuses.shift() ?? 200;
      const body =
        status === 200
          ? { stored: 1, duplicates: 0 }
          : { error: status === 401 ? 'the portal rejected the token' : 'busy' };
      return new Response(JSON.stringify(body), { status, headers: status === 503 ? { 'retry-after': '7' } : {} });
    }),
  );
  return requests;
}

function make(tokens: string[] = ['token-1', 'token-2']) {
  const portal = recordingPortal();
  const renewals: boolean[] = [];
  portal.operatorToken = async (options) => {
    renewals.push(options?.renew === true);
    return (options?.renew ? tokens[1] : tokens[0]) ?? null;
  };
  const log = recordingLogger();
  const delivery = { outbox: Promise.resolve(memoryOutbox()), exclusive: createExclusive(undefined) };
  const output = createOutput(
    server,
    { type: 'server' },
    outputContext({ portal, log, delivery, label: 'outputs[3] (server)' }),
  );
  return { output, log, renewals };
}

describe('server output', () => {
  testOutputConformance(server, {});

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    appServer();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('posts each event to /api/events on its own origin with the operator token and the portal domain', async () => {
    const requests = appServer();
    const { output } = make();
    await output.send(sampleEvent('hold.started'));
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toEqual([
      {
        url: 'https://relay.example.com/api/events',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer token-1',
          'x-portal-domain': 'example.bitrix24.com',
        },
        body: { events: [expect.objectContaining({ id: 'evt_test_hold.started', type: 'hold.started' })] },
      },
    ]);
  });

  it('renews the token once when the server says the portal refused it, and delivers', async () => {
    const requests = appServer([401]);
    const { output, renewals } = make();
    await output.send(sampleEvent('hold.ended'));
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(renewals).toEqual([false, true]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests).toHaveLength(2);
  });

  it('keeps an event the server cannot store yet and sends it after Retry-After, once', async () => {
    const requests = appServer([503]);
    const { output, log } = make();
    await output.send(sampleEvent('call.summary'));
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(6_500);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests).toHaveLength(2);
    expect(log.lines).toContainEqual(
      expect.stringMatching(
        /^warn: outputs\[3\] \(server\): call\.summary evt_test_call\.summary not delivered \(HTTP 503: busy\)/,
      ),
    );
  });

  it('sends the events that are due together, in the order they happened', async () => {
    const requests = appServer([503]);
    const { output } = make();
    await output.send(sampleEvent('hold.started'));
    await vi.advanceTimersByTimeAsync(0);
    await output.send(sampleEvent('hold.ended', {}, 2_000));
    await output.send(sampleEvent('call.summary', {}, 3_000));
    await vi.advanceTimersByTimeAsync(7_500);
    expect(requests.map((r) => r.body.events.map((e) => e.id))).toEqual([
      ['evt_test_hold.started'],
      ['evt_test_hold.started', 'evt_test_hold.ended', 'evt_test_call.summary'],
    ]);
  });

  it('drops events the server refuses for good after a few tries, naming its answer', async () => {
    const requests = appServer([400, 400, 400, 400, 400, 400]);
    const { output, log } = make();
    await output.send(sampleEvent('hold.started'));
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.length).toBeLessThanOrEqual(4);
    expect(log.lines).toContainEqual(expect.stringMatching(/^error: outputs\[3\] \(server\): .*HTTP 400/));
  });

  it('takes every event type by default: the report needs call summaries too', () => {
    expect(server.defaultOn).toEqual(['hold.started', 'hold.ended', 'hold.failed', 'call.summary']);
  });
});
