// The app's own credentials end to end: the installer in Chromium, inside the simulated portal that
// plays the OAuth server; then what the portal does to the app afterwards (switching the worker
// off, uninstalling it, forged posts), from the simulator page's own buttons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_GAP_MS } from '../../src/server/credentials/registration-keeper.ts';
import { openDatabase } from '../../src/server/db/index.ts';
import { ADMIN } from '../../src/simulator/rest-portal.ts';
import { openAppPage, type AppPage } from '../support/app-page.ts';
import { launchBrowser, type LaunchedBrowser } from '../support/browser.ts';
import { fakeClock } from '../support/fake-clock.ts';
import { startStatsStack, type StatsStack } from '../support/stats-stack.ts';

// The registration keeper in fake time: the gap it keeps between two checks of a portal passes when the test says.
const registration = fakeClock(Date.now());

describe('the app acting in the portal on its own, in Chromium against the simulated portal', () => {
  let stack: StatsStack;
  let browser: LaunchedBrowser;
  let app: AppPage;

  beforeAll(async () => {
    // Access tokens of 30 s: inside the server's renewal margin, so every use of one renews it, as after the hour.
    [stack, browser] = await Promise.all([
      startStatsStack(
        { WEBHOOKS_ALLOW_PRIVATE: '1' },
        { credentials: true, credentialsAccessSeconds: 30, hooks: { registrationClock: registration } },
      ),
      launchBrowser('allowed'),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const status = async () =>
    (await stack.api('/api/portal/status')).json() as Promise<{
      installed: boolean;
      registration: { outcome: string | null };
    }>;
  const workers = () => stack.simulator.rest.placements.filter((p) => p.placement === 'PAGE_BACKGROUND_WORKER');
  const renewals = async () =>
    ((await (await fetch(`${stack.simulator.url}/sim/app-events`)).json()) as { oauthRenewals: number }).oauthRenewals;
  const lifecycleStatus = () => app.page.getByTestId('lifecycle-status').textContent();

  it('an install from the app page gives this server the portal’s credentials, and the settings show them', async () => {
    const installer = await openAppPage(browser, stack, '?page=app&install=1&admin=1&finish=stay');
    await installer.ready('install');
    app = installer;
    await app.app.getByTestId('install-start').click();
    await expect.poll(() => app.installFinishes()).toBe(1);
    const steps = app.app.getByTestId('install-steps').locator('li');
    await expect
      .poll(() => steps.evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.state)))
      .toEqual(['done', 'kept', 'done', 'done']);
    expect(stack.simulator.rest.eventBindings.map((b) => b.event).sort()).toEqual(['ONAPPINSTALL', 'ONAPPUNINSTALL']);
    await expect.poll(async () => (await status()).installed, { timeout: 15_000 }).toBe(true);
    // Opened as the app, its settings say what this server holds.
    await installer.page.close();
    app = await openAppPage(browser, stack, '?page=app&admin=1');
    await app.ready('settings');
    await expect
      .poll(() => app.app.getByTestId('access-state').getAttribute('data-state'), { timeout: 15_000 })
      .toBe('installed');
  });

  it('the server renews the credentials once their access token runs out, and keeps its access', async () => {
    const before = await renewals();
    // A notice makes the server use its token: the token is past its time, so it is renewed first.
    await app.press('worker-overtime');
    await expect.poll(lifecycleStatus, { timeout: 15_000 }).toMatch(/ERROR_PLACEMENT_LOADING_OVERTIME → .*HTTP 200/);
    await expect.poll(renewals, { timeout: 60_000 }).toBeGreaterThan(before);
    await expect.poll(async () => (await status()).registration.outcome, { timeout: 60_000 }).toBe('rebound');
  });

  it('a worker the portal switched off is registered again once the gap since the last check is over, with no admin', async () => {
    await app.press('worker-overtime');
    await expect.poll(lifecycleStatus, { timeout: 15_000 }).toMatch(/HTTP 200/);
    // The last test's notice was checked moments ago: this one waits for the gap's end.
    await expect.poll(() => registration.waiting()).toEqual([MIN_GAP_MS]);
    expect(workers()).toHaveLength(0);
    registration.advance(MIN_GAP_MS);
    await expect.poll(() => workers().length, { timeout: 15_000, interval: 200 }).toBe(1);
    expect(workers()[0]).toMatchObject({
      handler: stack.appUrl,
      userId: 0,
      options: { errorHandlerUrl: `${stack.appUrl}placement-error` },
    });
  });

  it('a forged uninstall changes nothing', async () => {
    await app.press('forged-uninstall');
    await expect.poll(lifecycleStatus, { timeout: 15_000 }).toMatch(/ONAPPUNINSTALL → .*HTTP 401/);
    expect((await status()).installed).toBe(true);
  });

  it('a token of another app on the portal is refused', async () => {
    const other = stack.simulator.rest.grant(ADMIN, 'local.0123456789abcd.99').AUTH_ID;
    const answer = await stack.api('/api/report', { token: other });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: expect.stringContaining('another application') });
  });

  it('an uninstall that asks for the data to go leaves no row of the portal', async () => {
    expect((await stack.api('/api/webhooks', { body: { url: `${stack.simulator.url}/sink` } })).status).toBe(201);
    await app.press('uninstall-clean');
    await expect.poll(lifecycleStatus, { timeout: 15_000 }).toMatch(/ONAPPUNINSTALL → .*HTTP 200/);
    await app.page.close();
    await stack.stopServer();
    const db = await openDatabase({ databaseUrl: null, dataDir: stack.dataDir });
    try {
      const tables = await db.query<{ table: string }>(
        "SELECT table_name AS \"table\" FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'portal'",
      );
      const left: string[] = [];
      for (const { table } of tables) {
        const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE portal = $1`, [
          stack.domain,
        ]);
        if ((row?.n ?? 0) > 0) left.push(`${table}: ${row?.n}`);
      }
      expect(left).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
