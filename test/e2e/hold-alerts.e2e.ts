// Hold alerts end to end: an admin sets them on the app page in Chromium, an operator's worker in
// Chromium holds calls, and the simulated portal's bell receives what supervisors would read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppPage } from '../support/app-page.ts';
import { useBrowser } from '../support/browser-per-file.ts';
import { installApp } from '../support/install-app.ts';
import { openPortal, type PortalPage } from '../support/portal-page.ts';
import { startStatsStack, type StatsStack } from '../support/stats-stack.ts';

const OPTION = `option=${encodeURIComponent(JSON.stringify({ outputs: [{ type: 'log' }, { type: 'server' }] }))}`;

describe('hold alerts to supervisors, in Chromium against the simulated portal', () => {
  let stack: StatsStack;
  const browser = useBrowser('allowed');

  beforeAll(async () => {
    stack = await startStatsStack({}, { credentials: true });
    await installApp(stack);
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const bell = () => stack.simulator.rest.notifications;

  /** Clicks Hold, waits `ms` in the page, clicks Hold again; resolves to when the first click happened. */
  const holdFor = (portal: PortalPage, ms: number): Promise<number> =>
    portal.page.evaluate(async (wait) => {
      const hold = () => document.querySelector<HTMLButtonElement>('[data-testid="hold"]')?.click();
      const at = Date.now();
      hold();
      await new Promise((resolve) => setTimeout(resolve, wait));
      hold();
      return at;
    }, ms);

  it('an admin sets a 2 s threshold and two supervisors, picked by name on the app page', async () => {
    const app = await openAppPage(browser, stack, '?page=app&admin=1&pick=1,12');
    await app.ready('settings');
    const panel = app.app.getByTestId('alerts-panel');
    await panel.getByTestId('alerts-threshold').fill('2');
    await panel.getByTestId('alerts-supervisors-pick').click();
    await expect
      .poll(() => panel.getByTestId('alerts-supervisors-list').locator('li').allTextContents())
      .toEqual(['Alex Admin ×', expect.stringMatching(/ ×$/)]);
    await panel.getByTestId('alerts-save').click();
    await expect.poll(() => panel.getByTestId('alerts-status').textContent()).toBe('Saved.');
    expect(await (await stack.api('/api/settings/alerts')).json()).toMatchObject({
      holdAlertSec: 2,
      supervisors: [1, 12],
    });
    await app.page.close();
  });

  it(
    'a hold past the threshold alerts both supervisors once; a hold ended at 1 s alerts nobody',
    { timeout: 60_000 },
    async () => {
      const portal = await openPortal(browser, stack, `?${OPTION}`);
      await portal.click('incoming-call');
      await portal.click('answer');
      const before = bell().length;

      const long = await holdFor(portal, 3500);
      await expect.poll(() => bell().length - before, { timeout: 15_000, interval: 100 }).toBe(2);
      const alerted = bell().slice(before);
      expect(alerted.map((n) => n.userId).sort((a, b) => a - b)).toEqual([1, 12]);
      expect(alerted[0]?.message).toMatch(
        /^\[B\]On hold for 0:0[2-4]\[\/B\]: Anna Operator has a customer waiting \(\+\d+\)\./,
      );
      console.info(`hold alerts: ${alerted.map((n) => n.at - (long + 2000)).join(', ')} ms after the threshold`);

      await holdFor(portal, 1000);
      // A third hold that runs long: once its two alerts are in, any the short hold caused would be too.
      const third = await holdFor(portal, 3000);
      await expect
        .poll(() => bell().filter((n) => n.at >= third + 2000).length, { timeout: 15_000, interval: 100 })
        .toBe(2);
      expect(bell().length - before).toBe(4);
      await portal.page.close();
    },
  );
});
