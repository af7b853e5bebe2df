import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Stack } from './stack.ts';
import { recordWorkerConsole, type WorkerConsole } from './worker-console.ts';

export const HOLD_EVENT = 'BackgroundCallCard::holdButtonClick';

interface CardSnapshot {
  callId: string;
  held: boolean;
  statusText: string;
}

/** The simulator page's test hooks (window.portalSim), driven from node. */
export interface PortalPage {
  page: Page;
  worker: WorkerConsole;
  click(testId: string): Promise<void>;
  waitForBind(count?: number): Promise<void>;
  fire(event: string, raw?: string): Promise<number>;
  card(): Promise<CardSnapshot | null>;
  reloadWorker(): Promise<void>;
  openSlider(): Promise<void>;
  /** Reloads the worker frame and clicks Hold the moment the new frame has subscribed. */
  reloadAndHoldOnBind(): Promise<number>;
}

type Sim = {
  waitForBind(event: string, count?: number): Promise<void>;
  fire(event: string, raw?: string): number;
  card(): CardSnapshot | null;
  reloadWorker(): void;
  openSlider(): void;
  clickHold(): void;
};
declare const portalSim: Sim;

const RELAYING = 'relaying hold changes';
const READY_TIMEOUT_MS = 15_000;

/**
 * Opens the simulator page with `query` (`?option=...`) in `browser` and waits for its worker frame to
 * subscribe and, unless `relaying` is false (a page whose frame is not this worker), to say it relays;
 * as `browser.member`'s portal unless the query names one.
 */
export async function openPortal(
  browser: { context: BrowserContext; member?: string },
  stack: Stack,
  query = '',
  relaying = true,
): Promise<PortalPage> {
  const page = await browser.context.newPage();
  const worker = recordWorkerConsole(page);
  await page.goto(`${stack.simulator.url}/${asMember(query, browser.member)}`);
  await page.waitForFunction(() => 'portalSim' in window);
  const waitForBind = (count = 1) =>
    page.evaluate(([event, n]) => portalSim.waitForBind(event, n), [HOLD_EVENT, count] as const);
  // The subscriptions go out from the page's inline script before the worker's module has loaded:
  // a frame is ready once its worker says it relays, not when the portal saw the subscription.
  let frames = 0;
  const ready = async (more: number): Promise<void> => {
    frames += more;
    for (
      const deadline = Date.now() + READY_TIMEOUT_MS;
      relaying && worker.lines.filter((line) => line.includes(RELAYING)).length < frames;
    ) {
      if (Date.now() > deadline)
        throw new Error(
          `the worker did not say "${RELAYING}" within ${READY_TIMEOUT_MS / 1000} s: ${worker.lines.join(' | ')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await waitForBind();
  await ready(1);
  return {
    page,
    worker,
    click: (testId) => page.getByTestId(testId).click(),
    waitForBind,
    fire: (event, raw) => page.evaluate(([e, r]) => portalSim.fire(e, r), [event, raw] as const),
    card: () => page.evaluate(() => portalSim.card()),
    reloadWorker: async () => {
      await page.evaluate(() => portalSim.reloadWorker());
      await waitForBind();
      await ready(1);
    },
    openSlider: async () => {
      await page.evaluate(() => portalSim.openSlider());
      await waitForBind(2);
      await ready(1);
    },
    reloadAndHoldOnBind: () =>
      page.evaluate(async (event) => {
        portalSim.reloadWorker();
        await portalSim.waitForBind(event, 1);
        const bound = performance.now();
        portalSim.clickHold();
        return performance.now() - bound;
      }, HOLD_EVENT),
  };
}

function asMember(query: string, member: string | undefined): string {
  if (member === undefined || /[?&]member=/.test(query)) return query;
  return `${query}${query.includes('?') ? '&' : '?'}member=${encodeURIComponent(member)}`;
}

/**
 * Answers a call and clicks Hold, then waits (at most `withinMs`) for the card to be set back, as
 * it is when the confirming receiver fails: how long that took from the click, in ms.
 */
export async function holdUntilSetBack(portal: PortalPage, withinMs: number): Promise<number> {
  // An operator talks before holding: by then the worker knows who they are (a click within the
  // portal's answer to that waits for it, see src/worker/operator-gate.ts, tested on its own).
  const operatorKnown = portal.page.waitForResponse((response) => /\/rest\/user\.current\b/.test(response.url()));
  await portal.click('incoming-call');
  await portal.click('answer');
  await operatorKnown;
  const clicked = Date.now();
  await portal.click('hold');
  expect((await portal.card())?.held).toBe(true);
  await expect.poll(async () => (await portal.card())?.held, { timeout: withinMs, interval: 50 }).toBe(false);
  return Date.now() - clicked;
}

/** Clicks `testId` on the simulator page and waits until the worker has relayed one more event for it. */
export async function clickRelayed(portal: PortalPage, testId: string): Promise<void> {
  const relayed = portal.worker.events.length;
  await portal.click(testId);
  await expect.poll(() => portal.worker.events.length).toBeGreaterThan(relayed);
}
