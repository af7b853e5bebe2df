// The hold report with a month of data (100,000 holds of 50 operators by default): how long the
// admin waits, in Chromium, from clicking a period to the tiles, tables and chart all drawn, and
// from a click on Hold in the portal to the hold under "on hold now".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { openDatabase } from '../../src/server/db/index.ts';
import { openAppPage } from '../support/app-page.ts';
import type { LaunchedBrowser } from '../support/browser.ts';
import { freshPgliteDir } from '../support/pglite-template.ts';
import { freePort, startStack } from '../support/stack.ts';
import { measureLiveHolds } from './report-live.ts';
import { median, percentile, round } from './stats.ts';

export interface ReportFigures {
  holds: number;
  operators: number;
  /** Click -> everything drawn, ms, per period over all rounds. */
  switchMs: Record<string, { median: number; max: number; samples: number[] }>;
  p95Ms: number;
  maxMs: number;
  seedSec: number;
  /** Click on Hold in the portal -> listed under "on hold now", ms. */
  liveMs: { median: number; max: number; samples: number[] };
}

const PERIODS = ['month', 'week', 'yesterday', 'today'] as const;
const WITH_SERVER = JSON.stringify({ outputs: [{ type: 'log' }, { type: 'server' }] });

/**
 * Straight into the tables the reports read (as ingest would leave them): every hold its own call,
 * half as many calls again without a hold, spread over the last 30 days, lengths with a long tail.
 */
async function seed(dataDir: string, portal: string, holds: number, operators: number): Promise<void> {
  const db = await openDatabase({ databaseUrl: null, dataDir });
  try {
    await db.query(
      `INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, started_at, ended_at, held_ms, ended_by, crm_entity_type, crm_entity_id, phone_number)
       SELECT $1, 'bench.' || g, 1, 7 + g % $3, 'bench.' || g, s, s + make_interval(secs => ms / 1000.0), ms,
              CASE WHEN random() < 0.06 THEN 'hangup' ELSE 'resume' END, 'CONTACT', 100 + g % 900, '+7916' || lpad((g % 10000000)::text, 7, '0')
       FROM (SELECT g, now() - random() * interval '30 days' AS s, (3000 - ln(1 - random()) * 40000)::bigint AS ms FROM generate_series(1, $2) g) x`,
      [portal, holds, operators],
    );
    await db.query(
      `INSERT INTO calls (portal, call_key, user_id, first_at, last_at)
       SELECT portal, call_key, user_id, started_at - interval '30 seconds', ended_at + interval '1 minute' FROM holds WHERE portal = $1
       UNION ALL
       SELECT $1, 'bench.nohold.' || g, 7 + g % $3, s, s + interval '3 minutes' FROM (SELECT g, now() - random() * interval '30 days' AS s FROM generate_series(1, $2 / 2) g) y`,
      [portal, holds, operators],
    );
    await db.query('ANALYZE');
  } finally {
    await db.close();
  }
}

/**
 * In the app page: clicks the period and resolves with the ms until the report says it is drawn,
 * and the next frame is painted. A string, so the runner's transpiler adds no helpers to it.
 */
const SWITCH = `(preset) => new Promise((resolve, reject) => {
  const view = document.querySelector('[data-testid="report-view"]');
  const button = document.querySelector('[data-testid="period-' + preset + '"]');
  if (!view || !button) return reject(new Error('no report on the page'));
  const started = performance.now();
  button.click();
  const generation = view.dataset.generation;
  const observer = new MutationObserver(() => {
    if (view.dataset.rendered !== generation) return;
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - started));
  });
  observer.observe(view, { attributes: true });
})`;

function switchTo(frame: Frame, period: string): Promise<number> {
  return frame.evaluate(`(${SWITCH})(${JSON.stringify(period)})`) as Promise<number>;
}

export async function measureReportPage(
  browser: LaunchedBrowser,
  options: { holds: number; operators: number; rounds: number; liveRounds: number; log: (line: string) => void },
): Promise<ReportFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-report-bench-'));
  try {
    await freshPgliteDir(dataDir);
    const simPort = await freePort();
    const seeded = performance.now();
    await seed(dataDir, `127.0.0.1:${simPort}`, options.holds, options.operators);
    const seedSec = (performance.now() - seeded) / 1000;
    options.log(`report: ${options.holds} holds of ${options.operators} operators stored in ${seedSec.toFixed(1)} s`);
    const stack = await startStack({ env: { STATS: 'on', DATA_DIR: dataDir }, simPort, option: WITH_SERVER });
    try {
      const app = await openAppPage(browser, stack, '?page=app&admin=1');
      await app.page.setViewportSize({ width: 1280, height: 1000 });
      await app.ready('settings');
      const frame = app.page.frames().find((f) => f.url().includes('/app/'));
      if (!frame) throw new Error('the app page frame is missing');
      await frame.waitForSelector('[data-testid="report-view"][data-rendered]', { timeout: 60_000 });
      await switchTo(frame, 'month'); // warm: the chart library loaded, the database's caches filled
      const samples: Record<string, number[]> = Object.fromEntries(PERIODS.map((p) => [p, []]));
      for (let round = 0; round < options.rounds; round++) {
        for (const period of PERIODS) samples[period]?.push(await switchTo(frame, period));
      }
      const live = await measureLiveHolds(app, frame, options.liveRounds);
      await app.page.close();
      const all = Object.values(samples).flat();
      const switchMs = Object.fromEntries(
        Object.entries(samples).map(([period, list]) => [
          period,
          { median: round(median(list), 0), max: round(Math.max(...list), 0), samples: list.map((v) => round(v, 0)) },
        ]),
      );
      return {
        holds: options.holds,
        operators: options.operators,
        switchMs,
        p95Ms: round(percentile(all, 95), 0),
        maxMs: round(Math.max(...all), 0),
        seedSec: round(seedSec, 1),
        liveMs: {
          median: round(median(live), 0),
          max: round(Math.max(...live), 0),
          samples: live.map((v) => round(v, 0)),
        },
      };
    } finally {
      await stack.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatReportFigures(figures: ReportFigures): string {
  const rows = Object.entries(figures.switchMs).map(
    ([period, f]) => `| ${period} | ${f.median} ms | ${f.max} ms | ${f.max < 1000 ? 'yes' : 'no'} |`,
  );
  return [
    `Hold report, ${figures.holds.toLocaleString('en')} holds of ${figures.operators} operators over 30 days: click on a period -> tiles, tables and chart drawn`,
    '| period | median | max | under 1 s |',
    '| --- | --- | --- | --- |',
    ...rows,
    `all switches: p95 ${figures.p95Ms} ms, max ${figures.maxMs} ms`,
    `"on hold now", click on Hold in the portal -> listed (${figures.liveMs.samples.length} holds): median ${figures.liveMs.median} ms, max ${figures.liveMs.max} ms, under 1 s: ${figures.liveMs.max < 1000 ? 'yes' : 'no'}`,
  ].join('\n');
}
