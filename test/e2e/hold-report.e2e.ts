import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../src/simulator/rest-portal.ts';
import { openAppPage, type AppPage } from '../support/app-page.ts';
import { launchBrowser, type LaunchedBrowser } from '../support/browser.ts';
import { holdEvents } from '../support/hold-events.ts';
import { startStatsStack, type StatsStack } from '../support/stats-stack.ts';
import { parseCsv } from '../support/csv.ts';

const WITH_SERVER = JSON.stringify({ outputs: [{ type: 'log' }, { type: 'callCard' }, { type: 'server' }] });
const LOG_ONLY = JSON.stringify({ outputs: [{ type: 'log' }] });

type Sim = { openedPaths(): string[] };
declare const portalSim: Sim;

// One server with statistics, one browser; the report is read as an admin, then as an operator.
describe('the hold report in Chromium, against the simulated portal and the real server', () => {
  let stack: StatsStack;
  let browser: LaunchedBrowser;
  let app: AppPage | null = null;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStatsStack(), launchBrowser('allowed')]);
    stack.simulator.rest.appOptions.holdRelay = WITH_SERVER;
    const seeded = await fetch(`${stack.simulator.url}/sim/seed`, {
      method: 'POST',
      body: JSON.stringify({ days: 7 }),
    });
    expect(seeded.status, await seeded.clone().text()).toBe(200);
    console.info(`seeded: ${await seeded.text()}`);
  }, 180_000);
  afterAll(async () => {
    await app?.page.close();
    await browser?.close();
    await stack?.close();
  });

  const open = async (query: string) => {
    await app?.page.close();
    app = await openAppPage(browser, stack, query);
    await app.ready('settings');
    return app;
  };
  const report = (page: AppPage) => page.app.getByTestId('report-view');
  const ready = async (page: AppPage, from?: string) => {
    const view = report(page);
    // On failure, what the page showed instead: its state and status line.
    const seen = async () =>
      `${await view.getAttribute('data-state')} from=${await view.getAttribute('data-from')}: ${(await view.textContent())?.slice(0, 300)}`;
    try {
      await expect
        .poll(
          async () =>
            (await view.getAttribute('data-state')) === 'ready' &&
            (from === undefined || (await view.getAttribute('data-from')) === from),
          { timeout: 15_000 },
        )
        .toBe(true);
    } catch (error) {
      throw new Error(`the report did not become ready; it showed ${await seen()}`, { cause: error });
    }
  };
  const apiQuery = async (page: AppPage) => {
    const view = report(page);
    const [from, to, tz] = await Promise.all(
      ['data-from', 'data-to', 'data-tz'].map((name) => view.getAttribute(name)),
    );
    return new URLSearchParams({ from: from ?? '', to: to ?? '', tz: tz ?? '' }).toString();
  };

  it('shows an admin the month in figures equal to the API’s, sorts the operators, opens their holds and the CRM card, and exports the CSV', async () => {
    const page = await open('?page=app&admin=1');
    expect(await page.app.getByTestId('tab-report').getAttribute('aria-selected')).toBe('true');
    await ready(page);
    const started = Date.now();
    await page.app.getByTestId('period-month').click();
    await expect
      .poll(
        async () =>
          (await report(page).getAttribute('data-state')) === 'ready' &&
          (await page.app.getByTestId('period-month').getAttribute('aria-pressed')) === 'true',
      )
      .toBe(true);
    await expect.poll(async () => (await apiQuery(page)).includes('from=')).toBe(true);
    console.info(`report: switched to 30 days in ${Date.now() - started} ms (seeded week, 8 operators)`);

    const expected = await (await stack.api(`/api/report?${await apiQuery(page)}`)).json();
    expect(expected.totals.holds).toBeGreaterThan(100);
    for (const [key, value] of Object.entries(expected.totals)) {
      expect(await page.app.getByTestId(`tile-${key}`).getAttribute('data-value'), key).toBe(String(value));
    }
    // Operators: every one of the API's, with the portal's names, sortable by any column.
    const table = page.app.getByTestId('operator-table');
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(expected.operators.length);
    expect(await table.locator('tbody').textContent()).toContain('Anna Operator');
    const column = async (key: string) =>
      rows.evaluateAll(
        (trs, k) => trs.map((tr) => Number(tr.querySelector(`[data-col="${k}"]`)?.getAttribute('data-value'))),
        key,
      );
    await table.locator('button[data-sort="holds"]').click();
    expect(await table.locator('th:has(button[data-sort="holds"])').getAttribute('aria-sort')).toBe('descending');
    const byHolds = await column('holds');
    expect(byHolds).toEqual([...byHolds].sort((a, b) => b - a));
    await table.locator('button[data-sort="holds"]').press('Enter');
    expect(await table.locator('th:has(button[data-sort="holds"])').getAttribute('aria-sort')).toBe('ascending');
    expect(await column('holds')).toEqual([...byHolds].sort((a, b) => a - b));
    const sortedByName = await table.locator('th:has(button[data-sort="name"])').getAttribute('aria-sort');
    expect(sortedByName).toBeNull();

    // A click on an operator shows that operator's holds, longest first.
    const first = rows.first();
    const userId = Number(await first.getAttribute('data-user-id'));
    await first.locator('button.person').click();
    await expect.poll(() => page.app.getByTestId('holds-section').getAttribute('data-user-id')).toBe(String(userId));
    const holdRows = page.app.getByTestId('hold-row');
    const listed = await (
      await stack.api(`/api/report/holds?${await apiQuery(page)}&sort=longest&limit=50&userId=${userId}`)
    ).json();
    await expect.poll(() => holdRows.count()).toBe(listed.holds.length);
    expect(new Set(await holdRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-user-id'))))).toEqual(
      new Set([String(userId)]),
    );
    expect(await holdRows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-held-ms'))))).toEqual(
      listed.holds.map((hold: { heldMs: number }) => hold.heldMs),
    );

    // The CRM link asks the portal to open the card in its slider (openPath), not a new tab.
    const pages = browser.context.pages().length;
    await holdRows.first().getByTestId('open-crm').click();
    const crm = listed.holds[0];
    await expect
      .poll(() => page.page.evaluate(() => portalSim.openedPaths()))
      .toEqual([
        expect.stringContaining(`/crm/${String(crm.crmEntityType).toLowerCase()}/details/${crm.crmEntityId}/`),
      ]);
    expect(browser.context.pages().length).toBe(pages);
    await page.page.getByTestId('crm-slider-close').click();

    // The CSV: downloaded with the user's token and saved as the server wrote it, names and all.
    const download = page.page.waitForEvent('download');
    await page.app.getByTestId('export-csv').click();
    const file = await (await download).path();
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const saved = parseCsv(bytes.toString('utf8').slice(1));
    const fromApi = parseCsv(
      new TextDecoder('utf-8', { ignoreBOM: true })
        .decode(await (await stack.api(`/api/report/holds.csv?${await apiQuery(page)}`)).arrayBuffer())
        .slice(1),
    );
    expect(saved[0]?.slice(6, 8)).toEqual(['userId', 'operator']);
    expect(saved).toEqual(fromApi);
    expect(saved.length - 1).toBe(expected.totals.holds);
    expect(new Set(saved.slice(1).map((row) => row[7]))).toContain('Ольга Смирнова');
    await expect
      .poll(() => page.app.getByTestId('report-status').textContent())
      .toMatch(new RegExp(`^Saved holds-[\\d-]+\\.csv \\(${saved.length - 1} holds\\)\\.$`));

    await page.page.setViewportSize({ width: 1040, height: 1500 });
    await page.app.getByTestId('holds-everyone').click();
    await page.app.locator('#app').evaluate((root) => root.ownerDocument.defaultView?.scrollTo(0, 0));
    await page.screenshot('report-month');
  });

  // How soon it is listed is timed by the report bench (the 1 s target), not asserted here.
  it('shows a hold made in the portal under "on hold now" as it happens, and in the tiles once it ended', async () => {
    const page = await open('?page=app&admin=1');
    await ready(page);
    const before = await (await stack.api(`/api/report?${await apiQuery(page)}`)).json();
    const live = page.app.getByTestId('live-hold');
    await expect.poll(() => page.app.getByTestId('live-panel').getAttribute('data-state')).toBe('live');
    expect(await live.count()).toBe(0);

    const { press } = page;
    await press('incoming-call');
    await press('answer');
    await new Promise((done) => setTimeout(done, 1000)); // past the SDK's 900 ms bindEvent window
    const clicked = Date.now();
    await press('hold');
    await expect.poll(() => live.count(), { interval: 20, timeout: 5000 }).toBe(1);
    const shownAfter = Date.now() - clicked;
    console.info(`report: a hold appeared under "on hold now" ${shownAfter} ms after the click`);
    expect(await live.getAttribute('data-user-id')).toBe(String(ADMIN.id));
    await expect.poll(() => live.locator('.live-timer').textContent(), { timeout: 5000 }).toMatch(/^0:0[1-9]$/);

    // A threshold of 5 s marks it as a long hold.
    await page.app.getByTestId('live-threshold').fill('5');
    await page.app.getByTestId('live-threshold').press('Enter');
    await expect.poll(() => live.getAttribute('data-long'), { timeout: 8000 }).toBe('true');
    expect(JSON.parse(stack.simulator.rest.appOptions.holdReport ?? 'null')).toEqual({ longHoldSeconds: 5 });
    await page.page.setViewportSize({ width: 1040, height: 1100 });
    await page.screenshot('report-today-live');

    await press('hangup');
    await expect.poll(() => live.count(), { timeout: 5000 }).toBe(0);
    await page.app.getByTestId('period-today').click();
    await ready(page);
    await expect
      .poll(
        async () => {
          await page.app.getByTestId('period-today').click();
          return page.app.getByTestId('tile-holds').getAttribute('data-value');
        },
        { timeout: 10_000 },
      )
      .toBe(String(before.totals.holds + 1));
    const after = await (await stack.api(`/api/report?${await apiQuery(page)}`)).json();
    for (const [key, value] of Object.entries(after.totals)) {
      expect(await page.app.getByTestId(`tile-${key}`).getAttribute('data-value'), key).toBe(String(value));
    }
    expect(after.totals.endedWithCall).toBe(before.totals.endedWithCall + 1);
  });

  it('offers an admin without the server output to add it with one click', async () => {
    stack.simulator.rest.appOptions.holdRelay = LOG_ONLY;
    try {
      const page = await open('?page=app&admin=1');
      expect(await page.app.getByTestId('tab-settings').getAttribute('aria-selected')).toBe('true');
      await page.app.getByTestId('tab-settings').press('ArrowLeft');
      expect(await page.app.getByTestId('tab-report').getAttribute('aria-selected')).toBe('true');
      await ready(page);
      await page.app.getByTestId('add-server-output').click();
      await expect.poll(() => page.app.getByTestId('notice-no-server-output').getAttribute('data-state')).toBe('added');
      expect(JSON.parse(stack.simulator.rest.appOptions.holdRelay ?? 'null')).toEqual({
        outputs: [{ type: 'log' }, { type: 'server' }],
      });
    } finally {
      stack.simulator.rest.appOptions.holdRelay = WITH_SERVER;
    }
  });

  it('shows an operator who is not an admin only their own holds of today', async () => {
    // Today in the browser's zone (this machine's), also in the first twenty minutes after midnight.
    const soon = Math.max(Date.now() - 20 * 60_000, new Date().setHours(0, 0, 0, 0));
    const mine = holdEvents({ callId: 'mine-1', start: new Date(soon).toISOString(), heldMs: 42_000 });
    const theirs = holdEvents({ callId: 'theirs-1', start: new Date(soon + 60_000).toISOString(), heldMs: 17_000 });
    expect((await stack.api('/api/events', { token: stack.tokenFor(7), body: { events: mine } })).status).toBe(200);
    expect((await stack.api('/api/events', { token: stack.tokenFor(8), body: { events: theirs } })).status).toBe(200);

    const page = await open('?page=app');
    await expect
      .poll(() => page.app.getByTestId('my-holds-view').getAttribute('data-state'), { timeout: 15_000 })
      .toBe('ready');
    const rows = page.app.getByTestId('hold-row');
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-user-id')));
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids)).toEqual(new Set(['7']));
    expect(await page.app.getByTestId('my-holds-view').textContent()).toContain('0:42');
    expect(await page.app.getByTestId('live-panel').count()).toBe(0);
    expect(await page.app.getByTestId('tiles').count()).toBe(0);
    await page.screenshot('report-operator');
  });
});
