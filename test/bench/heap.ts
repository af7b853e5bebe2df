// The worker frame's JS heap, and how it changes over many hold toggles.
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { readProbe, waitForHolds } from './worker-page.ts';

export interface HeapChange {
  toggles: number;
  beforeBytes: number;
  afterBytes: number;
  ratio: number;
}

type Sim = { clickHold(): void };
declare const portalSim: Sim;

/** V8 heap in use in the worker frame's renderer (a cross-site frame has its own) after two full collections. */
export async function workerHeap(context: BrowserContext, frame: Frame): Promise<number> {
  const session = await context.newCDPSession(frame);
  try {
    await session.send('HeapProfiler.collectGarbage');
    await session.send('HeapProfiler.collectGarbage');
    return (await session.send('Runtime.getHeapUsage')).usedSize;
  } finally {
    await session.detach();
  }
}

/** Clicks Hold `n` times in one task of the portal page. */
export async function clickBurst(page: Page, n: number): Promise<void> {
  await page.evaluate((count) => {
    for (let i = 0; i < count; i++) portalSim.clickHold();
  }, n);
}

/**
 * Heap before and after `toggles` clicks (after `warmUp` unmeasured ones), sent in bursts, each burst
 * after the worker has dispatched the previous one. The worker needs the broadcast output and a probe.
 */
export async function heapOverToggles(
  context: BrowserContext,
  page: Page,
  frame: Frame,
  toggles: number,
  log: (line: string) => void,
  warmUp = 200,
): Promise<HeapChange> {
  const burst = 500;
  let target = (await readProbe(frame)).holds;
  const run = async (n: number, report: boolean) => {
    for (let sent = 0; sent < n;) {
      const size = Math.min(burst, n - sent);
      await clickBurst(page, size);
      sent += size;
      target += size;
      await waitForHolds(frame, target, 30_000);
      if (report && sent % 2500 === 0) log(`heap: ${sent}/${n} toggles`);
    }
  };
  await run(warmUp, false);
  const beforeBytes = await workerHeap(context, frame);
  await run(toggles, true);
  const afterBytes = await workerHeap(context, frame);
  return { toggles, beforeBytes, afterBytes, ratio: afterBytes / beforeBytes };
}
