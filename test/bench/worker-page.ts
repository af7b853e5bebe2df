// A simulator page opened for measuring, and a probe in its worker frame that listens on the
// broadcast output's channel as any page of the app would.
import type { Frame } from 'playwright-core';
import type { LaunchedBrowser } from '../support/browser.ts';
import { HOLD_EVENT, openPortal, type PortalPage } from '../support/portal-page.ts';
import type { Stack } from '../support/stack.ts';

export const EVENT_TYPES = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'] as const;

export interface BenchPage extends PortalPage {
  /** The worker frame (a cross-site iframe, so its own renderer process). */
  frame: Frame;
}

/**
 * What the probe keeps in the worker frame. Wall-clock times are `timeOrigin + now()`, in ms, comparable
 * across the portal's and the worker's processes. The timing lists are null unless recording.
 */
export interface Probe {
  /** hold.started and hold.ended broadcasts received. */
  holds: number;
  /** When each portal message reached the frame: its MessageEvent's timeStamp (the SDK's listener may run first). */
  messageWall: number[] | null;
  /** When the worker posted each hold event on a BroadcastChannel: the output dispatched. */
  dispatchWall: number[] | null;
  /** When the probe's own channel received each hold event. */
  receiveWall: number[] | null;
  waiters: { n: number; done: (at: number) => void }[];
}
type ProbeWindow = Window & { holdRelayProbe: Probe };

/**
 * Opens the simulator page with `option` (undefined: the simulator's stored option) and waits until
 * the worker has subscribed and, when `ours`, said it relays (the bare SDK worker and the floor page
 * say nothing).
 */
export async function openBenchPage(
  browser: LaunchedBrowser,
  stack: Stack,
  option?: unknown,
  ours = true,
): Promise<BenchPage> {
  const query = option === undefined ? '' : `?option=${encodeURIComponent(JSON.stringify(option))}`;
  const portal = await openPortal(browser, stack, query, ours);
  const frame = portal.page.frames().find((f) => f.name().includes('|'));
  if (!frame) throw new Error('the simulator page has no worker frame');
  return { ...portal, frame };
}

/** Clicks a simulator button by test id through the DOM, so no overlay of the page can take the click. */
export async function press(portal: PortalPage, testId: string): Promise<void> {
  await portal.page.getByTestId(testId).evaluate((button) => (button as HTMLElement).click());
}

/** Starts the probe in the worker frame: a listener on the broadcast channel, and a stamp on each post to it. */
export async function installProbe(frame: Frame, channel = 'b24-hold-relay'): Promise<void> {
  await frame.evaluate((name) => {
    // Inline, not a named helper: tsx would wrap a named function in a helper the frame does not have.
    const types = new Set(['hold.started', 'hold.ended']);
    const probe: Probe = { holds: 0, messageWall: null, dispatchWall: null, receiveWall: null, waiters: [] };
    (window as unknown as ProbeWindow).holdRelayProbe = probe;
    window.addEventListener(
      'message',
      (event) => void probe.messageWall?.push(performance.timeOrigin + event.timeStamp),
    );
    const post = BroadcastChannel.prototype.postMessage;
    BroadcastChannel.prototype.postMessage = function (this: BroadcastChannel, message: unknown) {
      if (types.has((message as { type?: string } | null)?.type ?? ''))
        probe.dispatchWall?.push(performance.timeOrigin + performance.now());
      post.call(this, message);
    };
    new BroadcastChannel(name).onmessage = (message: MessageEvent) => {
      const now = performance.now();
      if (!types.has((message.data as { type?: string } | null)?.type ?? '')) return;
      probe.holds++;
      probe.receiveWall?.push(performance.timeOrigin + now);
      for (let i = probe.waiters.length - 1; i >= 0; i--) {
        const waiter = probe.waiters[i];
        if (waiter && probe.holds >= waiter.n) {
          probe.waiters.splice(i, 1);
          waiter.done(performance.timeOrigin + now);
        }
      }
    };
  }, channel);
}

/** Resolves with the wall-clock time the probe counted its `n`th hold broadcast (now, if already). */
export function waitForHolds(frame: Frame, n: number, timeoutMs = 5000): Promise<number> {
  return frame.evaluate(
    ([count, limit]) => {
      const probe = (window as unknown as ProbeWindow).holdRelayProbe;
      if (probe.holds >= count) return performance.timeOrigin + performance.now();
      return new Promise<number>((done, fail) => {
        setTimeout(() => fail(new Error(`only ${probe.holds} of ${count} hold broadcasts after ${limit} ms`)), limit);
        probe.waiters.push({ n: count, done });
      });
    },
    [n, timeoutMs] as const,
  );
}

export const readProbe = (frame: Frame): Promise<Omit<Probe, 'waiters'>> =>
  frame.evaluate(() => {
    const { waiters: _waiters, ...rest } = (window as unknown as ProbeWindow).holdRelayProbe;
    return rest;
  });

export const setRecording = (frame: Frame, on: boolean): Promise<void> =>
  frame.evaluate((record) => {
    const probe = (window as unknown as ProbeWindow).holdRelayProbe;
    for (const list of ['messageWall', 'dispatchWall', 'receiveWall'] as const) probe[list] = record ? [] : null;
  }, on);

export { HOLD_EVENT };
