import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_DELAY_MS } from '../../../src/contract/retry-schedule.ts';
import { createExclusive } from '../../../src/delivery/exclusive.ts';
import { memoryOutbox } from '../../../src/delivery/outbox-store.ts';
import type { DeliveryPorts, Output } from '../../../src/outputs/types.ts';
import webhook from '../../../src/outputs/webhook.ts';
import type { HoldEvent } from '../../../src/hold/types.ts';
import {
  createOutput,
  optionProblems,
  outputContext,
  recordingLogger,
  recordingPortal,
  sampleEvent,
} from '../../support/fixtures.ts';
import { testOutputConformance } from '../../support/output-conformance.ts';

const SECRET = 'whsec_aG9sZC1yZWxheS1leGFtcGxlLXNlY3JldC0yNGI=';
const URL_OK = 'https://pbx.example.com/bitrix/hold';

interface Received {
  headers: Record<string, string>;
  body: string;
  status: number;
}

/** A receiver behind a fake fetch: answers with the queued statuses, then 204. */
function receiver(statuses: (number | 'hang' | 'network')[] = []) {
  const received: Received[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      const next = statuses.shift() ?? 204;
      const headers = Object.fromEntries(Object.entries(init.headers as Record<string, string>));
      if (next === 'network') throw new TypeError('Failed to fetch');
      if (next === 'hang') {
        return new Promise<Response>((_resolve, reject) =>
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        );
      }
      received.push({ headers, body: String(init.body), status: next });
      return new Response(null, { status: next, headers: next === 429 ? { 'retry-after': '30' } : {} });
    }),
  );
  return received;
}

function event(
  n: number,
  callId = 'CALL-1',
  type: HoldEvent['type'] = n % 2 ? 'hold.started' : 'hold.ended',
): HoldEvent {
  return {
    ...sampleEvent(type, { callId, holdSeq: Math.ceil(n / 2) }),
    id: `evt_${callId}_${n}`,
    timestamp: new Date(Date.now() + n).toISOString(),
  };
}

/** Outputs of the running test: disposed after it, so that none keeps delivering into the next test's clock. */
const made: Output[] = [];
const memoryDelivery = (outbox = Promise.resolve(memoryOutbox())): DeliveryPorts => ({
  outbox,
  exclusive: createExclusive(undefined),
});

function make(
  options: Record<string, unknown> = {},
  delivery: DeliveryPorts = memoryDelivery(),
  memberId = 'member-1',
) {
  const log = recordingLogger();
  const portal = recordingPortal();
  portal.session.memberId = memberId;
  const context = outputContext({ log, label: 'outputs[2] (webhook)', delivery, portal });
  const output = createOutput(webhook, { type: 'webhook', url: URL_OK, ...options }, context);
  made.push(output);
  return { output, log, context };
}

/** Lets queued deliveries run: sending only queues the event. */
const flush = () => vi.advanceTimersByTimeAsync(0);
const ids = (received: Received[]) => received.filter((r) => r.status < 300).map((r) => r.headers['webhook-id']);

describe('webhook output', () => {
  testOutputConformance(webhook, { url: 'http://127.0.0.1:9/sink' });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    receiver();
  });
  afterEach(() => {
    made.splice(0).forEach((output) => output.dispose?.());
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('posts the event as a Standard Webhooks request that a library verifies', async () => {
    const received = receiver();
    const { output } = make({ secret: SECRET });
    const sent = event(1);
    await output.send(sent);
    await vi.waitFor(() => expect(received).toHaveLength(1));
    const [request] = received as [Received];
    expect(request.headers['content-type']).toBe('application/json');
    expect(new Webhook(SECRET).verify(request.body, request.headers)).toEqual(sent);
    expect(request.headers['webhook-id']).toBe(sent.id);
    expect(JSON.parse(request.body)).not.toHaveProperty('auth');
  });

  it('sends no signature without a secret', async () => {
    const received = receiver();
    const { output } = make();
    await output.send(event(1));
    await flush();
    expect(received[0]?.headers).not.toHaveProperty('webhook-signature');
  });

  it('adds the operator token and portal domain only with includeAuth, signed', async () => {
    const received = receiver();
    const { output } = make({ includeAuth: true, secret: SECRET });
    await output.send(event(1));
    await vi.waitFor(() => expect(received).toHaveLength(1));
    const [request] = received as [Received];
    expect(new Webhook(SECRET).verify(request.body, request.headers)).toMatchObject({
      auth: { accessToken: 'operator-token', domain: 'example.bitrix24.com' },
    });
  });

  it('retries a dead receiver with growing pauses, same id, new timestamp per attempt, until delivered', async () => {
    const received = receiver([503, 503, 'network', 503]);
    const { output, log } = make();
    await output.send(event(1));
    for (const pause of [1000, 2000, 4000, 8000]) await vi.advanceTimersByTimeAsync(pause);
    expect(received.map((r) => r.status)).toEqual([503, 503, 503, 204]);
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(received.map((r) => r.headers['webhook-timestamp'])).size).toBeGreaterThan(1);
    expect(log.lines[0]).toMatch(
      /^warn: outputs\[2\] \(webhook\): hold.started evt_CALL-1_1 not delivered \(HTTP 503\); attempt 1, next in \d s$/,
    );
  });

  it('waits as long as Retry-After asks', async () => {
    const received = receiver([429]);
    const { output } = make();
    await output.send(event(1));
    await vi.advanceTimersByTimeAsync(29_000);
    expect(received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ids(received)).toEqual(['evt_CALL-1_1']);
  });

  it('keeps the order of one call and lets other calls pass a stuck one', async () => {
    const received = receiver([503]);
    const { output } = make();
    await output.send(event(1, 'A'));
    await output.send(event(2, 'A'));
    await output.send(event(1, 'B'));
    await flush();
    expect(ids(received)).toEqual(['evt_B_1']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ids(received)).toEqual(['evt_B_1', 'evt_A_1', 'evt_A_2']);
  });

  it('stops sending to a receiver that answers 410 Gone', async () => {
    const received = receiver([410]);
    const { output, log } = make();
    await output.send(event(1));
    await output.send(event(2));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(received).toHaveLength(1);
    expect(log.lines).toContain(
      'error: outputs[2] (webhook): the receiver answered HTTP 410 Gone; no more events go to it until the configuration of this webhook changes',
    );
  });

  it("remembers a 410 Gone in the outbox for later frames, until that webhook's configuration changes", async () => {
    const received = receiver([410]);
    const outbox = Promise.resolve({ ...memoryOutbox(), durable: true });
    const first = make({ secret: SECRET }, memoryDelivery(outbox));
    await first.output.send(event(1));
    await vi.waitFor(() => expect(received).toHaveLength(1));
    first.output.dispose?.();
    const next = make({ secret: SECRET }, memoryDelivery(outbox));
    await next.output.send(event(2));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(received).toHaveLength(1);
    expect(next.log.lines).toContain(
      'error: outputs[2] (webhook): the receiver answered HTTP 410 Gone to an earlier frame; no more events go to it until the configuration of this webhook changes',
    );
    next.output.dispose?.();
    const changed = make({ secret: 'whsec_bmV3LXNlY3JldC1mb3ItdGhlLXNhbWUtcmVjZWl2ZXI=' }, memoryDelivery(outbox));
    await changed.output.send(event(3));
    await vi.waitFor(() => expect(ids(received)).toEqual(['evt_CALL-1_3']));
  });

  it('drops an event the receiver keeps refusing with a 4xx after a few tries within minutes, naming the answer, and lets its call go on', async () => {
    const statuses: number[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const id = (init.headers as Record<string, string>)['webhook-id'];
        statuses.push(id === 'evt_CALL-1_1' ? 422 : 204);
        return new Response(null, { status: statuses.at(-1) });
      }),
    );
    const { output, log } = make();
    await output.send(event(1));
    await output.send(event(2));
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(statuses).toEqual([422, 422, 422, 422, 204]);
    expect(log.lines.filter((l) => l.startsWith('error:'))).toEqual([
      'error: outputs[2] (webhook): dropped hold.started evt_CALL-1_1 after 4 attempts: the receiver refused it (HTTP 422); the later events of its call go on',
    ]);
  });

  it.each([408, 425, 429, 500, 503])('keeps retrying HTTP %i past the tries a refusal gets', async (status) => {
    const received = receiver(Array(6).fill(status));
    const { output } = make();
    await output.send(event(1));
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(received.map((r) => r.status)).toEqual([...Array(6).fill(status), 204]);
  });

  it("says when a refusal comes with a Date header minutes away from the browser's clock", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(null, { status: 401, headers: { date: new Date(Date.now() - 7 * 60_000).toUTCString() } }),
      ),
    );
    const { output, log } = make();
    await output.send(event(1));
    await flush();
    expect(log.lines).toContainEqual(
      expect.stringContaining(
        "(HTTP 401; this browser's clock is 7 min ahead of the receiver's: a receiver refuses a webhook-timestamp more than 5 minutes off, so check the computer's clock)",
      ),
    );
  });

  it('drops events older than maxAgeMs with an error naming them', async () => {
    receiver(Array(100).fill(503));
    const { output, log } = make({ maxAgeMs: 60_000 });
    await output.send(event(1));
    // Past the age, and then the longest pause between two tries: a pass has come since the event
    // grew too old, whatever the jitter (two minutes missed it about once in 500 runs).
    await vi.advanceTimersByTimeAsync(60_000 + MAX_DELAY_MS);
    expect(log.lines.filter((l) => l.startsWith('error:'))).toEqual([
      'error: outputs[2] (webhook): dropped 1 event(s) older than maxAgeMs (60000 ms), never delivered: evt_CALL-1_1',
    ]);
  });

  it('delivers once when two frames queue the same click into the shared outbox', async () => {
    const received = receiver([503]);
    const shared = memoryDelivery(Promise.resolve({ ...memoryOutbox(), durable: true }));
    const a = make({}, shared);
    const b = make({}, shared);
    await Promise.all([a.output.send(event(1)), b.output.send(event(1))]);
    await vi.advanceTimersByTimeAsync(5000);
    await b.output.send(event(1));
    expect(ids(received)).toEqual(['evt_CALL-1_1']);
  });

  it('leaves what it could not deliver for the next frame', async () => {
    const received = receiver([503]);
    // Stands in for IndexedDB: one store that outlives the frame.
    const outbox = Promise.resolve({ ...memoryOutbox(), durable: true });
    const first = make({}, memoryDelivery(outbox));
    await first.output.send(event(1));
    first.output.dispose?.();
    await vi.advanceTimersByTimeAsync(5000);
    expect(ids(received)).toEqual([]);
    make({}, memoryDelivery(outbox));
    await vi.waitFor(() => expect(ids(received)).toEqual(['evt_CALL-1_1']), { timeout: 5000 });
  });

  it('keeps the outboxes of two portals apart where their frames share one storage partition', async () => {
    const received = receiver([503]);
    // Stands in for one browser's IndexedDB, which frames of two portals' pages can share.
    const shared = Promise.resolve({ ...memoryOutbox(), durable: true });
    const names: string[] = [];
    const recordingLocks: DeliveryPorts['exclusive'] = (name, task) => (names.push(name), task());
    const a = make({}, { outbox: shared, exclusive: recordingLocks }, 'portal-a');
    await a.output.send(event(1, 'A'));
    await flush();
    a.output.dispose?.();
    const b = make({}, { outbox: shared, exclusive: recordingLocks }, 'portal-b');
    await b.output.send(event(1, 'B'));
    await vi.waitFor(() => expect(ids(received)).toEqual(['evt_B_1']));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(received.map((r) => r.headers['webhook-id'])).toEqual(['evt_A_1', 'evt_B_1']);
    make({}, { outbox: shared, exclusive: recordingLocks }, 'portal-a');
    await vi.waitFor(() => expect(ids(received)).toEqual(['evt_B_1', 'evt_A_1']));
    expect(new Set(names.map((n) => n.replace(/[0-9a-f]{64}/, '<sha-256>')))).toEqual(
      new Set(['b24-hold-relay:deliver:portal-a:<sha-256>', 'b24-hold-relay:deliver:portal-b:<sha-256>']),
    );
  });

  it('delivers events an earlier frame saved with the hold state but left before its outbox had them, and crosses them off', async () => {
    const received = receiver();
    const recorded = [event(1), event(2)];
    const taken: string[] = [];
    const journal = { pending: () => recorded, taken: (list: readonly string[]) => void taken.push(...list) };
    const log = recordingLogger();
    made.push(
      createOutput(
        webhook,
        { type: 'webhook', url: URL_OK },
        outputContext({
          log,
          label: 'outputs[2] (webhook)',
          delivery: memoryDelivery(Promise.resolve({ ...memoryOutbox(), durable: true })),
          journal,
        }),
      ),
    );
    await vi.waitFor(() => expect(ids(received)).toEqual(['evt_CALL-1_1', 'evt_CALL-1_2']));
    expect(taken).toEqual(['evt_CALL-1_1', 'evt_CALL-1_2']);
  });

  it('hands what is undelivered in a memory outbox to the browser with keepalive when the frame closes', async () => {
    const received = receiver([503, 503]);
    const { output, log } = make({ secret: SECRET });
    await output.send(event(1));
    const init = () => vi.mocked(fetch).mock.calls.map(([, i]) => (i as RequestInit).keepalive);
    await vi.waitFor(() => expect(init()).toEqual([true]));
    output.dispose?.();
    expect(init()).toEqual([true, true]);
    await vi.advanceTimersByTimeAsync(0);
    expect(received.map((r) => r.headers['webhook-id'])).toEqual(['evt_CALL-1_1', 'evt_CALL-1_1']);
    new Webhook(SECRET).verify(received[1]?.body ?? '', received[1]?.headers ?? {});
    expect(log.lines).toContainEqual(
      expect.stringMatching(/closing with 1 undelivered event\(s\) in memory; handed 1 to the browser/),
    );
  });

  it('hands over at frame close only what the memory outbox still holds: nothing expired or trimmed', async () => {
    receiver(Array(100).fill(503));
    const { output, log } = make({ maxAgeMs: 60_000 });
    await output.send(event(1));
    await vi.advanceTimersByTimeAsync(120_000);
    const attempts = vi.mocked(fetch).mock.calls.length;
    output.dispose?.();
    expect(vi.mocked(fetch).mock.calls).toHaveLength(attempts);
    expect(log.lines).not.toContainEqual(expect.stringMatching(/handed/));
  });

  describe('with confirm', () => {
    it('answers success when the receiver carries the hold out in time, and says it confirms', async () => {
      receiver([503]);
      const { output } = make({ confirm: true, timeoutMs: 1000 });
      expect(output.confirms).toBe(true);
      const done = output.send(event(1));
      await vi.advanceTimersByTimeAsync(1000);
      expect(await done).toEqual({ ok: true });
    });

    it('answers the failure within timeoutMs and never sends late', async () => {
      const received = receiver(['hang', 'hang', 'hang']);
      const { output } = make({ confirm: true, timeoutMs: 1500 });
      const started = Date.now();
      const done = output.send(event(1));
      await vi.advanceTimersByTimeAsync(1500);
      expect(await done).toEqual({ ok: false, reason: 'no answer within 1500 ms' });
      expect(Date.now() - started).toBeLessThanOrEqual(1500);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(received).toEqual([]);
    });

    it('acts on hold changes only', async () => {
      const received = receiver();
      const { output } = make({ confirm: true });
      await output.send(sampleEvent('call.summary'));
      expect(received).toEqual([]);
    });
  });

  it.each([
    [
      { url: 'http://evil.example/hook' },
      'url',
      'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])',
    ],
    [{ url: 'ftp://pbx.example.com/' }, 'url', 'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])'],
    [{ url: 'not a url' }, 'url', 'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])'],
    [
      { url: 'https://user:pass@pbx.example.com/' },
      'url',
      'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])',
    ],
    [{ secret: 'hunter2' }, 'secret', 'must start with "whsec_"'],
    [{ timeoutMs: 0 }, 'timeoutMs', 'must be at least 100'],
    [{ includeAuth: 'yes' }, 'includeAuth', 'must be true or false'],
  ])('refuses %j, naming the field', (options, field, reason) => {
    expect(optionProblems(webhook, { type: 'webhook', url: URL_OK, ...options })).toEqual([
      `outputs[0] (webhook): field "${field}" ${reason}; this output is disabled`,
    ]);
  });

  it('test-sends one signed request at once, outside the outbox, and answers what the receiver said', async () => {
    const received = receiver([503]);
    const options = {
      url: URL_OK,
      secret: SECRET,
      confirm: false,
      includeAuth: false,
      timeoutMs: 3000,
      maxAgeMs: 86_400_000,
    };
    expect(await webhook.sendTest?.(options, outputContext(), event(1))).toEqual({ ok: false, reason: 'HTTP 503' });
    expect(await webhook.sendTest?.(options, outputContext(), event(1))).toEqual({ ok: true });
    new Webhook(SECRET).verify(received[1]?.body ?? '', received[1]?.headers ?? {});
    await vi.advanceTimersByTimeAsync(60_000);
    expect(received).toHaveLength(2);
  });

  it.each(['http://localhost:8090/sink', 'http://127.0.0.1/x', 'http://[::1]:9/', 'https://pbx.example.com/'])(
    'accepts the receiver %s',
    (url) => {
      expect(optionProblems(webhook, { type: 'webhook', url })).toEqual([]);
    },
  );
});
