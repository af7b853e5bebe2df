// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { HoldInput } from '../../../src/hold/types.ts';
import { connectWorkerPortal, type WorkerPortal } from '../../../src/portal/adapter.ts';
import { EVENTS, subscribeCardEvents } from '../../../src/worker/card-events.ts';
import { CONTEXT, INITIALIZED_PAYLOAD, recordingLogger } from '../../support/fixtures.ts';
import { recordPortalPosts } from '../../support/portal-posts.ts';

/** The card events through the real adapter, with this window playing the portal that fires them. */
const PORTAL = 'http://127.0.0.1:8090';
const frame = { domain: '127.0.0.1:8090', https: false, appSid: 'sid123' };

let connection: WorkerPortal | null = null;
const posted = recordPortalPosts(() => {
  connection?.dispose();
  connection = null;
});

/** Subscribes as the worker does; `fire` posts an event to the key the frame subscribed it with. */
async function subscribed() {
  connection = connectWorkerPortal(frame);
  connection.ready.catch(() => {});
  const inputs: HoldInput[] = [];
  const log = recordingLogger();
  subscribeCardEvents(connection, (input) => inputs.push(input), log).catch(() => {});
  // Past the SDK's 900 ms window: every subscription has settled, events reach their callbacks.
  await vi.advanceTimersByTimeAsync(1000);
  const keyOf = (event: string) => {
    const bind = posted.find((p) => p.message.startsWith(`placementBindEvent:${JSON.stringify({ event })}:`));
    if (!bind) throw new Error(`${event} was not subscribed`);
    return bind.message.split(':').at(-2) as string;
  };
  const fire = (event: string, arg?: unknown) => {
    const data = `${keyOf(event)}:${arg === undefined ? '' : JSON.stringify(arg)}`;
    window.dispatchEvent(new MessageEvent('message', { data, origin: PORTAL }));
  };
  return { inputs, log, fire };
}

describe('card events as hold state inputs', () => {
  it('turns the answer click into callAnswered', async () => {
    const { inputs, fire } = await subscribed();
    fire(EVENTS.answer);
    expect(inputs).toEqual([{ kind: 'callAnswered' }]);
  });

  it("reads from initialized's CALL_STATE whether the frame joined a call that is connected already", async () => {
    const { inputs, fire } = await subscribed();
    fire(EVENTS.initialized, { ...INITIALIZED_PAYLOAD, CALL_STATE: 'connected' });
    fire(EVENTS.initialized, { ...INITIALIZED_PAYLOAD, CALL_STATE: 'incoming' });
    expect(inputs).toEqual([
      { kind: 'callInitialized', context: CONTEXT, connected: true },
      { kind: 'callInitialized', context: CONTEXT, connected: false },
    ]);
  });

  it('logs a malformed initialized and passes nothing on', async () => {
    const { inputs, log, fire } = await subscribed();
    fire(EVENTS.initialized, { CALL_STATE: 'connected' });
    expect(inputs).toEqual([]);
    expect(log.lines).toEqual([
      expect.stringMatching(/^error: ignored BackgroundCallCard::initialized: CALL_ID must be/),
    ]);
  });
});
