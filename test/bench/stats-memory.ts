// The server's memory and start-up as an integrator's small machine sees them: resident memory of
// the whole process tree (the server, its threads and any child process, embedded database included),
// read from /proc; and the time from spawning `node src/server/main.ts` to its first /healthz answer,
// on an empty DATA_DIR and again on the same directory.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startChild, waitForHttp, type Child } from './child.ts';
import { round } from './stats.ts';

const SERVER_MAIN = resolve(import.meta.dirname, '../../src/server/main.ts');

/** The figures of the issue that asked for this (2-core machine, PGlite 0.5.16 as first shipped). */
export const MEMORY_BASELINE = { idleMb: 857, statsOffIdleMb: 105 } as const;
export const MEMORY_TARGETS = { idleMb: 200, ingestMb: 400, firstStartSec: 10, restartSec: 3 } as const;

/** Resident MB of `pid` and every process below it, or null where /proc does not tell. */
export function treeRssMb(pid: number): number | null {
  const kb = treeRssKb(pid);
  return kb === null ? null : round(kb / 1024, 1);
}

function treeRssKb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    let kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) kb += treeRssKb(Number(child)) ?? 0;
    }
    return kb;
  } catch {
    return null;
  }
}

/** Samples the tree's RSS every `everyMs` until stopped; resolves to the highest sample. */
export function watchPeakRss(pid: number, everyMs = 100): { stop(): number } {
  let peak = treeRssMb(pid) ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssMb(pid) ?? 0);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRssMb(pid) ?? 0);
    },
  };
}

/** Idle RSS: the tree once it has answered /healthz (its warm-up done) and had no requests since. */
export interface IdleRss {
  /** 3 s after: what start-up left, before V8 gives back its garbage. */
  earlyMb: number;
  /** 20 s after: V8's memory reducer gave back start-up's garbage (about 15 s after the last activity). */
  settledMb: number;
}

export async function idleRss(child: Child): Promise<IdleRss> {
  const at = async (ms: number): Promise<number> => {
    await new Promise((done) => setTimeout(done, ms));
    return treeRssMb(child.proc.pid ?? 0) ?? Number.NaN;
  };
  const earlyMb = await at(3000);
  return { earlyMb, settledMb: await at(17_000) };
}

export interface ServerEnv {
  portalOrigin: string;
  dataDir: string;
  databaseUrl?: string | null;
  stats?: 'on' | 'off';
}

export interface StartedServer {
  child: Child;
  base: string;
  /** Spawn to the first 200 from /healthz. */
  startSec: number;
}

/** `node --import tsx src/server/main.ts`, as `npm run serve` runs it, timed to its first /healthz. */
export async function startServerProcess(name: string, o: ServerEnv): Promise<StartedServer> {
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_FORMAT: 'none',
    STATS: o.stats ?? 'on',
    DATA_DIR: o.dataDir,
    DATABASE_URL: o.databaseUrl ?? '',
    PORTAL_ORIGINS: o.portalOrigin,
    DIST_DIR: resolve(import.meta.dirname, '../../dist'),
  };
  const started = performance.now();
  const child = startChild(name, process.execPath, ['--import', import.meta.resolve('tsx'), SERVER_MAIN], env);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/healthz`, child, 120_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { child, base, startSec: round((performance.now() - started) / 1000, 2) };
}

export interface StartFigures {
  /** Spawn to /healthz on an empty DATA_DIR (the database created and migrated). */
  firstStartSec: number;
  /** The same directory, after a clean stop. */
  restartSec: number;
  /** Idle RSS after the first start, on an empty database. */
  emptyIdle: IdleRss;
  /** Idle RSS after the restart. */
  restartIdle: IdleRss;
  /** Idle RSS of the same server with STATS=off: what the database adds is the difference. */
  statsOffIdle: IdleRss;
}

/** First start, restart and idle memory on an empty embedded database, and with statistics off. */
export async function measureStarts(portalOrigin: string, log: (line: string) => void): Promise<StartFigures> {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-start-'));
  const dataDir = join(scratch, 'data');
  try {
    const first = await startServerProcess('server (first start)', { portalOrigin, dataDir });
    const emptyIdle = await idleRss(first.child);
    await first.child.stop();
    const again = await startServerProcess('server (restart)', { portalOrigin, dataDir });
    const restartIdle = await idleRss(again.child);
    await again.child.stop();
    const off = await startServerProcess('server (STATS=off)', { portalOrigin, dataDir, stats: 'off' });
    const statsOffIdle = await idleRss(off.child);
    await off.child.stop();
    const idle = (rss: IdleRss): string => `${rss.earlyMb} MB, ${rss.settledMb} MB settled`;
    log(
      `embedded: first start ${first.startSec} s, restart ${again.startSec} s; idle RSS ${idle(emptyIdle)}; after restart ${idle(restartIdle)}; STATS=off ${idle(statsOffIdle)}`,
    );
    return { firstStartSec: first.startSec, restartSec: again.startSec, emptyIdle, restartIdle, statsOffIdle };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
