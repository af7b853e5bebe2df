// The statistics server under load, through its real HTTP API with tokens the simulated portal
// issued (verified once, then cached): ingest from 50 operators at a steady rate and flat out, and
// the report endpoints over a million seeded holds; and the memory of the server's process tree,
// idle and under that load, with its start-up times. The server runs in its own process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/server/db/index.ts';
import postgresDriver from '../../src/server/db/postgres.ts';
import { startSimulator, type Simulator } from '../../src/simulator/server.ts';
import { ADMIN, type SimUser } from '../../src/simulator/rest-portal.ts';
import { freshPgliteDir } from '../support/pglite-template.ts';
import { seedHolds } from './stats-seed.ts';
import { percentile, round } from './stats.ts';
import { ingestLoad, verifyOperators, type IngestFigures } from './stats-ingest.ts';
import {
  idleRss,
  measureStarts,
  startServerProcess,
  watchPeakRss,
  type IdleRss,
  type StartedServer,
  type StartFigures,
} from './stats-memory.ts';

export interface ReportFigures {
  requests: number;
  p50Ms: number;
  p95Ms: number;
}

export interface StatsBenchRun {
  database: 'pglite' | 'postgres';
  seedSec: number;
  /** The first seconds of ingest load on a fresh server (warmed up, reports run): what the first operators after a deploy see. */
  cold: IngestFigures;
  steady: IngestFigures;
  flatOut: IngestFigures;
  report: ReportFigures;
  holdsLongest: ReportFigures;
  holdsRecent: ReportFigures;
  memory: MemoryFigures;
}

export interface MemoryFigures {
  /** Spawn to /healthz on the seeded database. */
  startSec: number;
  /** RSS of the server's process tree, idle after start-up (warm-up included), over the seeded holds. */
  idle: IdleRss;
  /** The highest RSS sampled during the first seconds and the steady phase of ingest. */
  ingestPeakMb: number;
  /** The highest RSS during the flat-out phase. */
  flatOutPeakMb: number;
  /** First start, restart and idle memory on an empty DATA_DIR (the embedded database only). */
  starts: StartFigures | null;
}

export interface StatsBenchOptions {
  /** null: the embedded database only. */
  databaseUrl: string | null;
  operators?: number;
  /** Events per second all operators together send in the steady phase. */
  rate?: number;
  ingestSec?: number;
  /** Seconds of the same load before the steady phase, measured on their own as the cold start. */
  coldSec?: number;
  holds?: number;
  reportRequests?: number;
  log?: (line: string) => void;
}

const FIRST_USER = 100;
const SCHEMA = 'hold_relay_bench';

async function timeRequests(url: string, headers: Record<string, string>, count: number): Promise<ReportFigures> {
  const samples: number[] = [];
  for (let i = 0; i < count + 2; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    if (i >= 2) samples.push(performance.now() - started); // the first two warm the caches
  }
  return { requests: samples.length, p50Ms: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)) };
}

async function runOne(
  database: 'pglite' | 'postgres',
  sim: Simulator,
  o: Required<Omit<StatsBenchOptions, 'log' | 'databaseUrl'>> & StatsBenchOptions,
  log: (line: string) => void,
): Promise<StatsBenchRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-stats-'));
  const domain = new URL(sim.origin).host;
  let databaseUrl: string | null = null;
  let server: StartedServer | null = null;
  try {
    const starts =
      database === 'pglite' && !process.env.BENCH_STATS_NO_STARTS ? await measureStarts(sim.origin, log) : null;
    if (database === 'postgres') {
      const bare = await postgresDriver({ url: o.databaseUrl ?? '' });
      await bare.exec(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
      await bare.close();
      const url = new URL(o.databaseUrl ?? '');
      url.searchParams.set('options', `-c search_path=${SCHEMA}`);
      databaseUrl = url.href;
    } else await freshPgliteDir(join(scratch, 'data'));
    const settings = { databaseUrl, dataDir: join(scratch, 'data') };

    // Seeded before the server starts: one process at a time owns an embedded database.
    const seedStarted = performance.now();
    const db = await openDatabase(settings);
    await seedHolds(db, { portal: domain, holds: o.holds, days: 180, operators: o.operators, firstUserId: FIRST_USER });
    await db.close();
    const seedSec = round((performance.now() - seedStarted) / 1000, 1);
    log(`${database}: seeded ${o.holds} holds in ${seedSec} s`);

    server = await startServerProcess(`server (${database})`, {
      portalOrigin: sim.origin,
      dataDir: settings.dataDir,
      databaseUrl,
    });
    const { base } = server;
    const idle = await idleRss(server.child);
    log(
      `${database}: started in ${server.startSec} s over ${o.holds} holds; idle RSS (process tree) ${idle.earlyMb} MB, ${idle.settledMb} MB settled`,
    );
    const pid = server.child.proc.pid ?? 0;

    // Reports first, over the million seeded holds as an admin opens them in the morning (the ingest
    // phases below add tens of thousands of holds in the last minutes, all in one quarter hour).
    const headers = { authorization: `Bearer ${sim.rest.grant(ADMIN).AUTH_ID}`, 'x-portal-domain': domain };
    const to = new Date();
    const period = `from=${new Date(to.getTime() - 30 * 86_400_000).toISOString()}&to=${to.toISOString()}&tz=Europe/Berlin`;
    const report = await timeRequests(`${base}/api/report?${period}`, headers, o.reportRequests);
    const holdsLongest = await timeRequests(
      `${base}/api/report/holds?${period}&sort=longest&limit=100`,
      headers,
      o.reportRequests,
    );
    const holdsRecent = await timeRequests(
      `${base}/api/report/holds?${period}&sort=recent&limit=100`,
      headers,
      o.reportRequests,
    );
    log(
      `${database}: 30-day report p50 ${report.p50Ms} ms p95 ${report.p95Ms} ms; holds longest p95 ${holdsLongest.p95Ms} ms; recent p95 ${holdsRecent.p95Ms} ms`,
    );
    const operators: SimUser[] = Array.from({ length: o.operators }, (_, i) => ({
      id: FIRST_USER + i,
      name: `Operator ${i}`,
      isAdmin: false,
    }));
    const tokens = operators.map((user) => sim.rest.grant(user).AUTH_ID);
    await verifyOperators({ base, domain, tokens });
    const ingestRss = watchPeakRss(pid);
    const cold = await ingestLoad({ base, domain, tokens, ratePerSec: o.rate, seconds: o.coldSec });
    log(
      `${database}: ingest at ${o.rate}/s, first ${o.coldSec} s of load: p50 ${cold.p50Ms} ms, p99 ${cold.p99Ms} ms, ${cold.errors} errors`,
    );
    const steady = await ingestLoad({ base, domain, tokens, ratePerSec: o.rate, seconds: o.ingestSec });
    log(
      `${database}: ingest at ${o.rate}/s from ${o.operators} operators, the next ${o.ingestSec} s: ${steady.eventsPerSec} events/s, p50 ${steady.p50Ms} ms, p99 ${steady.p99Ms} ms, ${steady.errors} errors`,
    );
    const ingestPeakMb = ingestRss.stop();
    log(`${database}: peak RSS during ingest at ${o.rate}/s: ${ingestPeakMb} MB`);
    const flatOutRss = watchPeakRss(pid);
    const flatOut = await ingestLoad({ base, domain, tokens, ratePerSec: null, seconds: o.ingestSec, batch: 20 });
    const flatOutPeakMb = flatOutRss.stop();
    log(
      `${database}: ingest flat out (batches of 20): ${flatOut.eventsPerSec} events/s, p50 ${flatOut.p50Ms} ms, p99 ${flatOut.p99Ms} ms, ${flatOut.errors} errors`,
    );

    const memory = { startSec: server.startSec, idle, ingestPeakMb, flatOutPeakMb, starts };
    return { database, seedSec, cold, steady, flatOut, report, holdsLongest, holdsRecent, memory };
  } finally {
    await server?.child.stop();
    if (database === 'postgres') {
      const bare = await postgresDriver({ url: o.databaseUrl ?? '' });
      await bare.exec(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).finally(() => bare.close());
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs on the embedded database, and on PostgreSQL when a URL is given. */
export async function benchStats(options: StatsBenchOptions): Promise<StatsBenchRun[]> {
  const o = { operators: 50, rate: 200, ingestSec: 10, coldSec: 3, holds: 1_000_000, reportRequests: 40, ...options };
  const log = options.log ?? (() => undefined);
  const sim = await startSimulator({ port: 0, host: '127.0.0.1', appUrl: 'http://localhost:1/', option: null });
  try {
    const runs = [await runOne('pglite', sim, o, log)];
    if (o.databaseUrl) runs.push(await runOne('postgres', sim, o, log));
    return runs;
  } finally {
    await sim.close();
  }
}
