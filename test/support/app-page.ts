import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import type { Stack } from './stack.ts';
import { recordWorkerConsole, type WorkerConsole } from './worker-console.ts';

/**
 * Where the tests' pictures of the app page go: test-results/screenshots, or the README's
 * docs/screenshots when UPDATE_SCREENSHOTS=1 (so a test run leaves the checkout as it was).
 */
export const SCREENSHOT_DIR = resolve(
  import.meta.dirname,
  process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots' : '../../test-results/screenshots',
);
/** With the simulator's slider 40 px narrower than the page, the app page is shown at 1000 × 700. */
const VIEWPORT = { width: 1040, height: 752 };

/** The simulator page with the app page open in its slider, driven from node. */
export interface AppPage {
  page: Page;
  /** The app page inside the slider. */
  app: FrameLocator;
  /** Log lines of every frame of the page (worker frames and the app page). */
  worker: WorkerConsole;
  /** Waits until the app page shows the installer or the settings. */
  ready(view: 'install' | 'settings'): Promise<void>;
  /** setInstallFinish messages the simulated portal received from the app page. */
  installFinishes(): Promise<number>;
  /** When the portal received setInstallFinish (ms since epoch), or null. */
  installFinishedAt(): Promise<number | null>;
  /** Replaces the page's worker frame (as opening another portal page does) and waits for it to subscribe. */
  reloadWorker(): Promise<void>;
  /** Clicks a button of the simulated portal page (the call card's) by its test id: the slider covers them. */
  press(testId: string): Promise<void>;
  /** Saves a picture of the app page (the slider's frame) as <SCREENSHOT_DIR>/<name>.png. */
  screenshot(name: string): Promise<string>;
}

type Sim = {
  reloadWorker(): void;
  waitForBind(event: string, count?: number): Promise<void>;
  installFinishes(): number;
  messages: { at: number; direction: string; text: string }[];
};
declare const portalSim: Sim;

const HOLD_EVENT = 'BackgroundCallCard::holdButtonClick';
const FRAME = '[data-testid="app-frames"] iframe';

export async function openAppPage(browser: { context: BrowserContext }, stack: Stack, query: string): Promise<AppPage> {
  const page = await browser.context.newPage();
  await page.setViewportSize(VIEWPORT);
  const worker = recordWorkerConsole(page);
  await page.goto(`${stack.simulator.url}/${query}`);
  await page.waitForFunction(() => 'portalSim' in window);
  const app = page.frameLocator(FRAME);
  return {
    page,
    app,
    worker,
    ready: (view) => app.locator(`#app[data-view="${view}"]`).waitFor({ state: 'attached', timeout: 15_000 }),
    installFinishes: () => page.evaluate(() => portalSim.installFinishes()),
    installFinishedAt: () =>
      page.evaluate(
        () => portalSim.messages.find((m) => m.direction === 'in' && m.text.startsWith('setInstallFinish'))?.at ?? null,
      ),
    reloadWorker: async () => {
      await page.evaluate(() => portalSim.reloadWorker());
      await page.evaluate((event) => portalSim.waitForBind(event, 1), HOLD_EVENT);
    },
    press: (testId) =>
      page.evaluate((id) => (document.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement).click(), testId),
    screenshot: async (name) => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = resolve(SCREENSHOT_DIR, `${name}.png`);
      await page.locator(FRAME).screenshot({ path, animations: 'disabled' });
      return path;
    },
  };
}
