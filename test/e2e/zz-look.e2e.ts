// Throwaway (not committed): a look at the report page before the server's talk figures are merged.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openAppPage } from '../support/app-page.ts';
import { launchBrowser, type LaunchedBrowser } from '../support/browser.ts';
import { startStatsStack, type StatsStack } from '../support/stats-stack.ts';

let stack: StatsStack;
let browser: LaunchedBrowser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStatsStack(), launchBrowser('allowed')]);
  stack.simulator.rest.appOptions.holdRelay = JSON.stringify({ outputs: [{ type: 'log' }, { type: 'server' }] });
  const seeded = await fetch(`${stack.simulator.url}/sim/seed`, { method: 'POST', body: JSON.stringify({ days: 7 }) });
  expect(seeded.status).toBe(200);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

type F = Record<string, number | null>;
const talk = (f: F, k: number): F => {
  const held = Number(f.heldMs ?? 0);
  const talkMs = Math.round(held * k + Number(f.calls ?? 0) * 150_000);
  return { ...f, talkMs, holdShare: talkMs ? Math.round((held / talkMs) * 1e4) / 1e4 : null, medianHeldMs: f.holds ? Math.round(Number(f.avgHeldMs) * 0.78) : null, p90HeldMs: f.holds ? Math.round(Number(f.avgHeldMs) * 2.3) : null, callsWithoutTalk: Math.floor(Number(f.calls ?? 0) / 40) };
};

it('looks', { timeout: 120_000 }, async () => {
  await browser.context.route(/\/api\/report\?/, async (route) => {
    const url = new URL(route.request().url());
    const line = url.searchParams.get('lineNumber');
    url.searchParams.delete('lineNumber');
    const response = await route.fetch({ url: url.href });
    const body = await response.json();
    const k = line === 'reg2002' ? 0.6 : 1;
    const scale = (f: F): F => Object.fromEntries(Object.entries(f).map(([key, v]) => [key, typeof v === 'number' && !/avg|longest|userId/.test(key) ? Math.round(v * k) : v]));
    body.totals = talk(scale(body.totals), 7);
    body.operators = body.operators.map((o: F) => talk(scale(o), 6 + (Number(o.userId) % 4)));
    const all = [{ lineNumber: 'reg151083', ...talk(scale(body.totals), 6) }, { lineNumber: 'reg2002', ...talk(scale(body.totals), 9) }];
    body.lines = line ? all.filter((l) => l.lineNumber === line) : all;
    body.quantileAccuracy = { absMs: 1000, relative: 0.05 };
    await route.fulfill({ response, json: body });
  });
  const page = await openAppPage(browser, stack, '?page=app&admin=1');
  await page.ready('settings');
  const view = page.app.getByTestId('report-view');
  await page.app.getByTestId('period-week').click();
  await expect.poll(() => view.getAttribute('data-state'), { timeout: 15_000 }).toBe('ready');
  await page.page.setViewportSize({ width: 1040, height: 1900 });
  await page.app.getByTestId('tiles').waitFor();
  await new Promise((r) => setTimeout(r, 1500));
  console.info(await page.screenshot('talk-look-week'));
  await page.app.getByTestId('line-picker').selectOption('reg2002');
  await expect.poll(async () => (await view.getAttribute('data-state')) === 'ready' && (await view.getAttribute('data-line')) === 'reg2002', { timeout: 15_000 }).toBe(true);
  await new Promise((r) => setTimeout(r, 1000));
  console.info(await page.screenshot('talk-look-line'));
});
