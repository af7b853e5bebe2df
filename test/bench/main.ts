// The benchmark: the worker against the bare SDK worker and the floor page (time to subscribed), bytes
// against the bare SDK worker, the event path, a soak with the webhook outbox, heap over many toggles,
// and the production server against nginx; then the abuse run: slow headers, slow bodies and idle
// connections against the server, /healthz polled. Prints one table and writes bench-results/bench.json.
// Run with `npm run bench` (builds first).
// Environment: BENCH_SOAK_SEC (60, 0 skips), BENCH_SOAK_RATE (100 clicks/s), BENCH_SERVER_SEC (5, 0 skips),
// BENCH_ROUNDS (6: each order of the three pages twice), BENCH_LOADS (9), BENCH_PAUSE_MS (150, after
// each load before the next), BENCH_CLICKS (1000, 0 skips the event path and heap), BENCH_HEAP_TOGGLES
// (10000, 0 skips), BENCH_ABUSE_SEC (20, 0 skips), BENCH_ABUSE_IDLE (5000 idle connections). Only time
// to subscribed and bytes: BENCH_SOAK_SEC=0 BENCH_SERVER_SEC=0 BENCH_CLICKS=0 BENCH_ABUSE_SEC=0.
// The statistics part (ingest from 50 operators, reports over 1M holds; PostgreSQL too with DATABASE_URL):
// BENCH_STATS (1; 0 skips), BENCH_STATS_HOLDS (1000000), BENCH_STATS_SEC (10), BENCH_STATS_RATE (200);
// `npm run bench:stats` runs it alone. Hold alerts' delay: BENCH_ALERT_HOLDS (60; 0 skips), alone with `npm run bench:alerts`.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser } from '../support/browser.ts';
import type { Stack } from '../support/stack.ts';
import { measureCriticalPath } from './critical-path.ts';
import { measureEventPath } from './event-path.ts';
import { startFloorStack } from './floor.ts';
import { heapOverToggles } from './heap.ts';
import { formatTable } from './report.ts';
import { runAbuse } from './abuse.ts';
import { benchServer } from './server-bench.ts';
import { benchServerWebhooks, type ServerWebhookBench } from './server-webhooks.ts';
import { soak } from './soak.ts';
import { buildBareWorker, startStackFor } from './stacks.ts';
import { measureSubscribe } from './subscribe-time.ts';
import { installProbe, openBenchPage, press, EVENT_TYPES, type BenchPage } from './worker-page.ts';
import { measureWorker } from './size-report.ts';
import { figureRows, type BenchResults } from './figures.ts';
import { benchStats, type StatsBenchRun } from './stats-bench.ts';
import { statsRows } from './stats-figures.ts';
import { alertRows, benchAlertDelay, type AlertDelay } from './alert-delay.ts';

const root = resolve(import.meta.dirname, '../..');
const distDir = join(root, 'dist');
const outDir = join(root, 'bench-results');
const bareDir = join(outDir, 'bare-worker');

const setting = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw} must be a number of at least 0`);
  return value;
};
const config = {
  soakSec: setting('BENCH_SOAK_SEC', 60),
  soakRate: setting('BENCH_SOAK_RATE', 100),
  serverSec: setting('BENCH_SERVER_SEC', 5),
  rounds: setting('BENCH_ROUNDS', 6),
  loadsPerRound: setting('BENCH_LOADS', 9),
  pauseMs: setting('BENCH_PAUSE_MS', 150),
  clicks: setting('BENCH_CLICKS', 1000),
  heapToggles: setting('BENCH_HEAP_TOGGLES', 10_000),
  abuseSec: setting('BENCH_ABUSE_SEC', 20),
  abuseIdle: setting('BENCH_ABUSE_IDLE', 5000),
  webhookClicks: setting('BENCH_WEBHOOK_CLICKS', 40),
  webhookEvents: setting('BENCH_WEBHOOK_EVENTS', 2000),
  stats: setting('BENCH_STATS', 1),
  statsHolds: setting('BENCH_STATS_HOLDS', 1_000_000),
  statsSec: setting('BENCH_STATS_SEC', 10),
  statsRate: setting('BENCH_STATS_RATE', 200),
  alertHolds: setting('BENCH_ALERT_HOLDS', 60),
};
const started = performance.now();
const log = (line: string): void =>
  console.info(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
const settle = (ms: number) => new Promise((done) => setTimeout(done, ms));

if (!existsSync(join(distDir, 'index.html'))) {
  console.error(`${join(distDir, 'index.html')} is missing: run npm run build first (npm run bench does)`);
  process.exit(2);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
log(`bench: ${cpus().length} CPUs, ${JSON.stringify(config)}`);

log('bytes: building the bare SDK worker and measuring both critical paths');
await buildBareWorker(bareDir);
const bytes = {
  ours: measureCriticalPath(distDir),
  bare: measureCriticalPath(bareDir),
  split: (await measureWorker(root)).groups,
};

const stacks: Stack[] = [];
const browser = await launchBrowser('allowed');
let browserPart: Pick<BenchResults, 'subscribe' | 'eventPath' | 'soak' | 'heap'>;
let serverWebhooks: ServerWebhookBench | null = null;
try {
  const ours = await startStackFor(distDir);
  stacks.push(ours);
  const bare = await startStackFor(bareDir, null);
  stacks.push(bare);
  const floor = await startFloorStack();
  stacks.push(floor);
  const sink = ours.simulator.sink;
  const every = [...EVENT_TYPES];
  const withCall = async (page: BenchPage) => {
    await installProbe(page.frame);
    await press(page, 'incoming-call');
    await settle(1000); // past the SDK's 900 ms bindEvent window, and the call's own requests done
    return page;
  };

  log(
    'time to subscribed: ours (the stored demo option: log, callCard, broadcast, webhook) vs the bare SDK worker vs the floor page',
  );
  const [oursPage, barePage, floorPage] = [
    await openBenchPage(browser, ours),
    await openBenchPage(browser, bare, undefined, false),
    await openBenchPage(browser, floor, undefined, false),
  ];
  const subscribe = await measureSubscribe(
    { ours: oursPage.page, bare: barePage.page, floor: floorPage.page },
    { rounds: config.rounds, loadsPerRound: config.loadsPerRound, pauseMs: config.pauseMs, log },
  );
  await Promise.all([oursPage.page.close(), barePage.page.close(), floorPage.page.close()]);
  let eventPath = null;
  let heap = null;
  if (config.clicks > 0) {
    log(`event path: ${config.clicks} clicks, one at a time, broadcast output only`);
    const pathPage = await withCall(
      await openBenchPage(browser, ours, { outputs: [{ type: 'broadcast', on: every }] }),
    );
    eventPath = await measureEventPath(pathPage.page, pathPage.frame, config.clicks, log);
    if (config.heapToggles > 0) {
      log(`heap: ${config.heapToggles} toggles, broadcast output only`);
      heap = await heapOverToggles(browser.context, pathPage.page, pathPage.frame, config.heapToggles, log);
    }
    await press(pathPage, 'hangup');
    await pathPage.page.close();
  } else log('event path and heap: skipped (BENCH_CLICKS=0)');

  let soakResult = null;
  if (config.soakSec > 0) {
    log(`soak: ${config.soakRate} clicks/s for ${config.soakSec} s, broadcast and webhook outputs`);
    const webhook = { type: 'webhook', url: `${ours.simulator.url}/sink`, secret: sink.secret, on: every };
    const soakPage = await withCall(
      await openBenchPage(browser, ours, { outputs: [{ type: 'broadcast', on: every }, webhook] }),
    );
    soakResult = await soak(browser.context, soakPage.page, soakPage.frame, sink, soakPage.worker.lines, {
      seconds: config.soakSec,
      ratePerSec: config.soakRate,
      log,
    });
    await soakPage.page.close();
  }
  browserPart = { subscribe, eventPath, soak: soakResult, heap };
  if (config.webhookClicks > 0) {
    log(
      `server-side webhooks: ${config.webhookClicks} clicks to a server and a browser webhook, then ${config.webhookEvents} events from the server's queue`,
    );
    serverWebhooks = await benchServerWebhooks(browser, {
      clicks: config.webhookClicks,
      events: config.webhookEvents,
      log: (line) => log(`webhooks: ${line}`),
    });
  }
} finally {
  await browser.close();
  for (const stack of stacks) await stack.close();
}

let server: BenchResults['server'] = null;
if (config.serverSec > 0) {
  log(`server: ours vs nginx, ${config.serverSec} s per scenario per server`);
  server = await benchServer({ distDir, durationSec: config.serverSec, log: (line) => log(`server: ${line}`) });
} else log('server: skipped (BENCH_SERVER_SEC=0)');

let abuse: BenchResults['abuse'] = null;
if (config.abuseSec > 0) {
  abuse = await runAbuse({ distDir, seconds: config.abuseSec, idle: config.abuseIdle, log });
} else log('abuse: skipped (BENCH_ABUSE_SEC=0)');

let stats: StatsBenchRun[] | null = null;
if (config.stats > 0) {
  log(
    `stats: ingest and reports over ${config.statsHolds} holds, on PGlite${process.env.DATABASE_URL ? ' and PostgreSQL' : ' (PostgreSQL skipped: no DATABASE_URL)'}`,
  );
  stats = await benchStats({
    databaseUrl: process.env.DATABASE_URL || null,
    holds: config.statsHolds,
    ingestSec: config.statsSec,
    rate: config.statsRate,
    log: (line) => log(`stats: ${line}`),
  });
} else log('stats: skipped (BENCH_STATS=0)');

let alerts: AlertDelay | null = null;
if (config.alertHolds > 0) {
  log(`alerts: ${config.alertHolds} holds past a 1 s threshold, delay to the portal's notification`);
  alerts = await benchAlertDelay({ holds: config.alertHolds, log: (line) => log(`alerts: ${line}`) });
} else log('alerts: skipped (BENCH_ALERT_HOLDS=0)');

const results: BenchResults & { stats: StatsBenchRun[] | null; alerts: AlertDelay | null } = {
  config,
  bytes,
  ...browserPart,
  server,
  abuse,
  stats,
  alerts,
};
console.info(`\n${formatTable([...figureRows(results), ...statsRows(stats ?? []), ...alertRows(alerts)])}\n`);
if (serverWebhooks) console.info(`server-side webhooks: ${JSON.stringify(serverWebhooks)}\n`);
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'bench.json');
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, ...results, serverWebhooks }, null, 2)}\n`,
);
log(`wrote ${file}`);
