// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startWorker } from '../../../src/worker/main.ts';
import type { HoldEvent } from '../../../src/hold/types.ts';
import { INITIALIZED_PAYLOAD, recordingLogger } from '../../support/fixtures.ts';
import { useRecordingOutput } from '../../support/recording-output.ts';

/**
 * The whole worker (SDK messaging, state, outputs) in happy-dom, with this window playing the
 * portal: it answers getInitData and fires card events through the callback keys the worker bound.
 */
const PORTAL = 'http://127.0.0.1:8090';
const ALL = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'];
let posted: string[] = [];

function send(data: string): void {
  window.dispatchEvent(new MessageEvent('message', { data, origin: PORTAL }));
}

function keyOf(prefix: string): string {
  const message = posted.filter((m) => m.startsWith(prefix)).at(-1);
  if (!message) throw new Error(`nothing posted starting with ${prefix}`);
  return message.split(':').at(-2) as string;
}

const bindKey = (event: string) => keyOf(`placementBindEvent:{"event":"BackgroundCallCard::${event}"}`);
const fire = (event: string, raw = '') => send(`${bindKey(event)}:${raw}`);

const recorder = useRecordingOutput();

/** A worker whose portal answered getInitData with `option`; its outputs record into `events`. */
async function boot(option: unknown = { outputs: [{ type: 'record', on: ALL }] }) {
  const log = recordingLogger();
  const events = recorder.next();
  const started = startWorker(log);
  send(
    `${keyOf('getInitData')}:${JSON.stringify({ LANG: 'en', DOMAIN: '127.0.0.1:8090', MEMBER_ID: 'm1', APP_OPTIONS: { holdRelay: JSON.stringify(option) }, AUTH_ID: 't', AUTH_EXPIRES: 3600 })}`,
  );
  await vi.advanceTimersByTimeAsync(1000);
  await started;
  return { log, events };
}

const types = (events: HoldEvent[]) => events.map((event) => event.type);

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  posted = [];
  window.name = '127.0.0.1:8090|0|sid123';
  vi.spyOn(window, 'postMessage').mockImplementation(((message: string) => void posted.push(message)) as never);
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ result: { ID: '7' } }), { status: 200 })),
  );
});
afterEach(() => {
  window.dispatchEvent(new Event('pagehide'));
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the worker pipeline', () => {
  it('relays a call with two holds, ended while held, in order', async () => {
    const { events } = await boot();
    fire('initialized', JSON.stringify(INITIALIZED_PAYLOAD));
    fire('holdButtonClick', 'true');
    await vi.advanceTimersByTimeAsync(3000);
    fire('holdButtonClick', 'false');
    fire('holdButtonClick', 'true');
    fire('hangupButtonClick');
    expect(events).toMatchObject([
      { type: 'hold.started', data: { holdSeq: 1 } },
      { type: 'hold.ended', data: { holdSeq: 1, heldMs: 3000 } },
      { type: 'hold.started', data: { holdSeq: 2 } },
      { type: 'hold.ended', data: { holdSeq: 2, endedBy: 'hangup' } },
      { type: 'call.summary' },
    ]);
  });

  it.each([
    ['a string', '"held"'],
    ['"true"', '"true"'],
    ['a number', '1'],
    ['null', 'null'],
    ['an object', '{"held":true}'],
    ['an array', '[true]'],
    ['nothing', ''],
  ])('relays nothing for a hold payload of %s, logs one error, then relays the next real click', async (_name, raw) => {
    const { log, events } = await boot();
    fire('initialized', JSON.stringify(INITIALIZED_PAYLOAD));
    fire('holdButtonClick', raw);
    const errors = log.lines.filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: ignored BackgroundCallCard::holdButtonClick: expected a boolean, got /);
    expect(events).toEqual([]);
    fire('holdButtonClick', 'true');
    await vi.advanceTimersByTimeAsync(0); // the portal answers who the operator is
    expect(types(events)).toEqual(['hold.started']);
  });

  it('relays a hold clicked before the portal answered getInitData', async () => {
    const events = recorder.next();
    const started = startWorker(recordingLogger());
    fire('holdButtonClick', 'true');
    send(
      `${keyOf('getInitData')}:${JSON.stringify({ LANG: 'en', APP_OPTIONS: { holdRelay: '{"outputs":[{"type":"record"}]}' } })}`,
    );
    await vi.advanceTimersByTimeAsync(1000);
    await started;
    expect(types(events)).toEqual(['hold.started']);
  });

  it('logs one clear error for a broken output and keeps the others working', async () => {
    const { log, events } = await boot({ outputs: [{ type: 'fax' }, { type: 'record' }] });
    fire('holdButtonClick', 'true');
    await vi.advanceTimersByTimeAsync(0);
    // The table names the test's recording output last.
    expect(log.lines.filter((l) => l.startsWith('error:'))).toEqual([
      'error: outputs[0] (fax): field "type" must be one of log, callCard, broadcast, webhook, rest, server, record; this output is disabled',
    ]);
    expect(types(events)).toEqual(['hold.started']);
  });

  it('takes over a running hold after the frame is replaced, with the full duration', async () => {
    const first = await boot();
    fire('initialized', JSON.stringify(INITIALIZED_PAYLOAD));
    fire('holdButtonClick', 'true');
    window.dispatchEvent(new Event('pagehide'));
    posted = [];
    await vi.advanceTimersByTimeAsync(5000);
    const second = await boot();
    fire('holdButtonClick', 'false');
    expect(types(first.events)).toEqual(['hold.started']);
    expect(types(second.events)).toEqual(['hold.ended']);
    expect(second.events[0]?.data.heldMs).toBeGreaterThanOrEqual(5000);
    expect(second.events[0]?.data.heldMs).toBeLessThan(7000);
  });

  it('asks the portal who the operator is once a call starts, and puts the user id on events', async () => {
    const { events } = await boot();
    fire('initialized', JSON.stringify(INITIALIZED_PAYLOAD));
    await vi.advanceTimersByTimeAsync(10);
    fire('holdButtonClick', 'true');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(vi.mocked(fetch).mock.calls[0]?.[0]).toBe(`${PORTAL}/rest/user.current`);
    expect(events).toMatchObject([
      {
        type: 'hold.started',
        data: { userId: 7, domain: '127.0.0.1:8090', memberId: 'm1', callId: INITIALIZED_PAYLOAD.CALL_ID },
      },
    ]);
  });

  describe('while the portal has not yet said who the operator is', () => {
    const answerAfter = (ms: number) =>
      vi
        .mocked(fetch)
        .mockImplementation(
          () =>
            new Promise((resolve) =>
              setTimeout(() => resolve(new Response(JSON.stringify({ result: { ID: '7' } }), { status: 200 })), ms),
            ),
        );
    /** A running worker whose portal answers `user.current` after `ms`, and a call card that just opened. */
    const callWithAnswerAfter = async (ms: number) => {
      const { events } = await boot();
      answerAfter(ms);
      fire('initialized', JSON.stringify(INITIALIZED_PAYLOAD));
      return events;
    };

    it('holds a click back until the answer comes, and relays it with the user id and the time of the click', async () => {
      const events = await callWithAnswerAfter(300);
      const clickedAt = Date.now();
      fire('holdButtonClick', 'true');
      await vi.advanceTimersByTimeAsync(250);
      expect(events).toEqual([]);
      await vi.advanceTimersByTimeAsync(50);
      expect(events).toMatchObject([
        { type: 'hold.started', timestamp: new Date(clickedAt).toISOString(), data: { userId: 7 } },
      ]);
    });

    it('waits at most a second, relays in order with userId null, and puts the id on events once it is known', async () => {
      const events = await callWithAnswerAfter(5000);
      fire('holdButtonClick', 'true');
      fire('holdButtonClick', 'false');
      await vi.advanceTimersByTimeAsync(999);
      expect(events).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(events.map((e) => [e.type, e.data.userId])).toEqual([
        ['hold.started', null],
        ['hold.ended', null],
      ]);
      fire('holdButtonClick', 'true'); // the answer is still on its way: no second wait
      expect(events.map((e) => e.type)).toEqual(['hold.started', 'hold.ended', 'hold.started']);
      await vi.advanceTimersByTimeAsync(5000);
      fire('hangupButtonClick');
      expect(events.slice(3).map((e) => [e.type, e.data.userId])).toEqual([
        ['hold.ended', 7],
        ['call.summary', 7],
      ]);
    });

    it('relays what waits at once when the frame goes', async () => {
      const events = await callWithAnswerAfter(5000);
      fire('holdButtonClick', 'true');
      window.dispatchEvent(new Event('pagehide'));
      expect(events.map((e) => e.type)).toEqual(['hold.started']);
    });
  });

  it('does nothing outside a portal frame', async () => {
    window.name = '';
    const log = recordingLogger();
    await startWorker(log);
    expect(posted).toEqual([]);
    expect(log.lines).toEqual(['info: not opened by a Bitrix24 portal (no frame name): nothing to relay']);
  });
});
