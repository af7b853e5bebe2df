// Event path: a Hold click on the simulated card to the first output dispatched (the broadcast output
// posting on its BroadcastChannel, stamped in the worker frame), one click at a time. The card runs in the portal's
// process and the worker in its own, so both ends stamp `timeOrigin + now()`: comparable wall clocks.
import type { Frame, Page } from 'playwright-core';
import { percentile } from './stats.ts';
import { readProbe, setRecording, waitForHolds } from './worker-page.ts';

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface EventPath {
  clicks: number;
  /** Click (before the portal's own handling) to the worker posting the event on its BroadcastChannel. */
  clickToDispatch: LatencySummary;
  /** Click to a listener of that channel receiving it (adds the browser's delivery of the broadcast). */
  clickToReceive: LatencySummary;
  /** Click to the portal's message arriving in the worker frame: the portal and the browser alone, no worker code. */
  clickToMessage: LatencySummary;
  /** The portal's message arriving in the frame to the output dispatched: the worker's own share. */
  messageToDispatch: LatencySummary;
}

type Sim = { clickHold(): void };
declare const portalSim: Sim;

export const summarize = (samples: readonly number[]): LatencySummary => ({
  p50Ms: percentile(samples, 50),
  p99Ms: percentile(samples, 99),
  maxMs: Math.max(...samples),
});

/** Clicks Hold `clicks` times, each after the previous one's broadcast arrived. The card must exist. */
export async function measureEventPath(
  page: Page,
  frame: Frame,
  clicks: number,
  log: (line: string) => void,
): Promise<EventPath> {
  const start = (await readProbe(frame)).holds;
  await setRecording(frame, true);
  const clickedAt: number[] = [];
  for (let i = 1; i <= clicks; i++) {
    clickedAt.push(
      await page.evaluate(() => {
        const at = performance.timeOrigin + performance.now();
        portalSim.clickHold();
        return at;
      }),
    );
    await waitForHolds(frame, start + i);
    if (i % 250 === 0) log(`event path: ${i}/${clicks} clicks`);
  }
  const probe = await readProbe(frame);
  await setRecording(frame, false);
  const list = (values: number[] | null, what: string): number[] => {
    if (values?.length !== clicks) throw new Error(`expected ${clicks} ${what}, the probe saw ${values?.length ?? 0}`);
    return values;
  };
  const [message, dispatch, receive] = [
    list(probe.messageWall, 'portal messages'),
    list(probe.dispatchWall, 'dispatches'),
    list(probe.receiveWall, 'broadcasts received'),
  ];
  const since = (from: number[], to: number[]) => summarize(to.map((at, i) => at - (from[i] ?? Number.NaN)));
  return {
    clicks,
    clickToDispatch: since(clickedAt, dispatch),
    clickToReceive: since(clickedAt, receive),
    clickToMessage: since(clickedAt, message),
    messageToDispatch: since(message, dispatch),
  };
}
