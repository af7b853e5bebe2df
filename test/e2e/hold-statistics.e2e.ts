import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../support/browser.ts';
import { useBrowser } from '../support/browser-per-file.ts';
import { openPortal, type PortalPage } from '../support/portal-page.ts';
import { startStatsStack, type StatsStack } from '../support/stats-stack.ts';

/** The worker relays to its log (for the test to read) and to the app's own server. */
const OPTION = `option=${encodeURIComponent(JSON.stringify({ outputs: [{ type: 'log', on: ['hold.started', 'hold.ended', 'call.summary'] }, { type: 'server' }] }))}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Report {
  totals: {
    calls: number;
    callsWithHolds: number;
    holds: number;
    heldMs: number;
    longestHeldMs: number;
    endedWithCall: number;
  };
  operators: { userId: number; calls: number; holds: number; heldMs: number; endedWithCall: number }[];
}

/** Holds the call for about `ms` and returns how long it was held, timed inside the portal page between the two clicks. */
function holdFor(portal: PortalPage, ms: number, end: 'resume' | 'hangup'): Promise<number> {
  return portal.page.evaluate(
    async ([wait, endId]) => {
      const button = (id: string) => document.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`);
      const started = performance.now();
      button('hold')?.click();
      await new Promise((resolve) => setTimeout(resolve, wait));
      button(endId)?.click();
      return performance.now() - started;
    },
    [ms, end === 'resume' ? 'hold' : 'hangup'] as const,
  );
}

describe('hold statistics on the app server, from the worker in Chromium', () => {
  let stack: StatsStack;
  const browser = useBrowser('allowed');

  beforeAll(async () => {
    stack = await startStatsStack();
  });
  beforeEach(async () => {
    const cleared = await stack.api('/api/report/data', { method: 'DELETE' });
    expect(cleared.status).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const report = async (): Promise<Report> => (await (await stack.api('/api/report')).json()) as Report;

  it(
    'gives the exact counts and durations of two operators, one of whose customers hung up on hold',
    { timeout: 60_000 },
    async () => {
      // Two operators of one portal, two browsers: one browser's worker frames share one operator's hold state.
      const second = await launchBrowser('allowed');
      const [anna, boris] = await Promise.all([
        openPortal(browser, stack, `?${OPTION}`),
        openPortal({ context: second.context, member: browser.member }, stack, `?user=8&${OPTION}`),
      ]);
      for (const portal of [anna, boris]) {
        await portal.click('incoming-call');
        await portal.click('answer');
      }
      const [annaMs, borisMs] = await Promise.all([holdFor(anna, 1200, 'resume'), holdFor(boris, 700, 'hangup')]);
      await anna.click('hangup');

      await expect.poll(async () => (await report()).totals.holds, { timeout: 15_000, interval: 200 }).toBe(2);
      await expect.poll(async () => (await report()).operators.length, { timeout: 15_000, interval: 200 }).toBe(2);
      const { totals, operators } = await report();
      expect(totals).toMatchObject({ calls: 2, callsWithHolds: 2, holds: 2, endedWithCall: 1 });
      const byUser = new Map(operators.map((o) => [o.userId, o]));
      expect(byUser.get(7)).toMatchObject({ calls: 1, holds: 1, endedWithCall: 0 });
      expect(byUser.get(8)).toMatchObject({ calls: 1, holds: 1, endedWithCall: 1 });
      expect(Math.abs((byUser.get(7)?.heldMs ?? 0) - annaMs)).toBeLessThan(250);
      expect(Math.abs((byUser.get(8)?.heldMs ?? 0) - borisMs)).toBeLessThan(250);
      expect(totals.heldMs).toBe((byUser.get(7)?.heldMs ?? 0) + (byUser.get(8)?.heldMs ?? 0));
      expect([...anna.worker.errors, ...boris.worker.errors]).toEqual([]);
      await second.close();
    },
  );

  it('stores each hold once when two frames of one operator get every click', { timeout: 60_000 }, async () => {
    const portal = await openPortal(browser, stack, `?${OPTION}`);
    await portal.openSlider();
    await portal.click('incoming-call');
    await portal.click('answer');
    await holdFor(portal, 300, 'resume');
    await holdFor(portal, 300, 'hangup');
    await expect.poll(async () => (await report()).totals.holds, { timeout: 15_000, interval: 200 }).toBe(2);
    // Both frames sent everything: give a late duplicate the time to arrive, then count again.
    await sleep(1500);
    expect((await report()).totals).toMatchObject({ calls: 1, holds: 2, endedWithCall: 1 });
    const listed = (await (await stack.api('/api/report/holds?sort=recent')).json()) as { holds: unknown[] };
    expect(listed.holds).toHaveLength(2);
  });

  it('refuses a forged token, a portal that is not allowed, and a non-admin asking for the report', async () => {
    expect((await stack.api('/api/report', { token: 'forged-token' })).status).toBe(401);
    expect((await stack.api('/api/report', { domain: 'intruder.example.com' })).status).toBe(403);
    expect((await stack.api('/api/report', { token: stack.tokenFor(7) })).status).toBe(403);
    const own = await stack.api('/api/report/holds', { token: stack.tokenFor(7) });
    expect(own.status).toBe(200);
  });
});

// Needs a PostgreSQL the test may stop: .ci/run starts a throwaway cluster and exports both variables.
const control = process.env.PG_CONTROL;
const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!control || !databaseUrl)('hold statistics on PostgreSQL, the database stopped mid-run', () => {
  let stack: StatsStack;
  let browser: LaunchedBrowser;
  const pg = (action: 'stop' | 'start') =>
    execFileSync(control ?? 'false', [action], { stdio: 'inherit', timeout: 60_000 });

  beforeAll(async () => {
    stack = await startStatsStack({ DATABASE_URL: databaseUrl ?? '' });
    browser = await launchBrowser('allowed');
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('loses nothing and stores nothing twice once the database is back', { timeout: 120_000 }, async () => {
    const portal = await openPortal(browser, stack, `?${OPTION}`);
    await portal.click('incoming-call');
    await portal.click('answer');
    pg('stop');
    try {
      await holdFor(portal, 300, 'resume');
      await holdFor(portal, 300, 'hangup');
      // The server answers 503 with Retry-After; the worker keeps the events.
      await expect
        .poll(() => portal.worker.lines.some((line) => /\(server\): .* not delivered \(HTTP 503/.test(line)), {
          timeout: 20_000,
        })
        .toBe(true);
    } finally {
      pg('start');
    }
    await expect.poll(async () => (await report()).totals.holds, { timeout: 45_000, interval: 500 }).toBe(2);
    await sleep(2000);
    expect((await report()).totals).toMatchObject({ calls: 1, holds: 2, endedWithCall: 1 });
    const listed = (await (await stack.api('/api/report/holds?sort=recent')).json()) as { holds: unknown[] };
    expect(listed.holds).toHaveLength(2);
  });

  const report = async (): Promise<Report> => (await (await stack.api('/api/report')).json()) as Report;
});
