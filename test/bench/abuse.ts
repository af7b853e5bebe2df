// The abuse run: slow headers, slow bodies and thousands of idle connections against the production
// server on loopback, while /healthz is polled (abuse-health.ts) and the server reports
// its memory. Server, abusive clients and the health checks run in three processes, so the checks
// measure the server, not the client's own load. Bounded in connections and time; stops by itself;
// 127.0.0.1 only.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { resolve } from 'node:path';
import type { SwarmFigures, SwarmKind } from './abuse-clients.ts';
import { HEALTH_EVERY_MS, pollAllWays, pollHealth, type HealthPair } from './abuse-health.ts';
import type { MemorySample } from './abuse-server.ts';
import type { SwarmPlan } from './abuse-swarm.ts';
import { cpuSeconds, freePort, machineBusySeconds } from './child.ts';

export interface AbuseOptions {
  distDir: string;
  seconds?: number;
  idle?: number;
  slowHeaders?: number;
  slowBodies?: number;
  log?: (line: string) => void;
}

export interface AbuseResult {
  seconds: number;
  /** The open-file limit, which bounds how many connections the clients can open. */
  fileLimit: number | null;
  swarms: SwarmFigures[];
  /** /healthz under abuse, and for as long before it (the machine's own noise). */
  health: HealthPair;
  healthBaseline: HealthPair;
  memory: {
    rssBeforeMB: number;
    rssMaxMB: number;
    rssAfterMB: number;
    heapBeforeMB: number;
    heapMaxMB: number;
    heapAfterMB: number;
  };
  /** CPU cores the server used on average under abuse; null without /proc. */
  serverCpu: number | null;
  /** The longest the server's event loop was blocked under abuse (ms). */
  serverLoopDelayMaxMs: number;
  /** CPU cores the rest of the machine used meanwhile (the clients included): near the core count means a starved run. */
  otherCpu: number | null;
}

const HERE = import.meta.dirname;
const DRIBBLE_MS = 1000;
const SETTLE_MS = 2000;
/** Descriptors kept free in the clients' process. */
const FD_RESERVE = 256;
const MB = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function fileLimit(): number | null {
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out) || null;
  } catch {
    return null;
  }
}

function setLowestPriority(pid: number | undefined): void {
  try {
    if (pid !== undefined) setPriority(pid, 19);
  } catch {
    // not permitted here: the clients compete at normal priority
  }
}

function start(
  file: string,
  env: NodeJS.ProcessEnv,
  execArgv: string[] = [],
): { proc: ChildProcess; exited: Promise<void> } {
  const proc = fork(resolve(HERE, file), [], {
    env,
    execArgv: [...execArgv, '--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return { proc, exited: new Promise((done) => proc.once('exit', () => done())) };
}

async function stop(child: { proc: ChildProcess; exited: Promise<void> }): Promise<void> {
  if (child.proc.connected) child.proc.disconnect();
  const killer = setTimeout(() => child.proc.kill('SIGKILL'), 5000);
  await child.exited;
  clearTimeout(killer);
}

export async function runAbuse(options: AbuseOptions): Promise<AbuseResult> {
  const seconds = options.seconds ?? 20;
  const log = options.log ?? (() => undefined);
  const limit = fileLimit();
  const slow = { 'slow-headers': options.slowHeaders ?? 500, 'slow-body': options.slowBodies ?? 500 };
  const room = limit === null ? Infinity : limit - FD_RESERVE - slow['slow-headers'] - slow['slow-body'];
  const wantedIdle = options.idle ?? 5000;
  if (wantedIdle > room)
    log(
      `abuse: open-file limit ${limit}, so ${Math.max(0, room)} idle connections instead of ${wantedIdle} (raise it with ulimit -n)`,
    );
  const sizes: Record<SwarmKind, number> = { idle: Math.max(0, Math.min(wantedIdle, room)), ...slow };

  const port = await freePort();
  const server = start(
    'abuse-server.ts',
    {
      ...process.env,
      PORT: String(port),
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
      LOG_FORMAT: 'none',
      DIST_DIR: options.distDir,
      STATS: 'off',
    },
    ['--expose-gc'],
  );
  const children = [server];
  const samples: MemorySample[] = [];
  try {
    const healthPort = await new Promise<number>((ready, fail) => {
      server.proc.on('message', (message: { kind: string; healthPort?: number }) => {
        if (message.kind === 'listening') ready(message.healthPort ?? 0);
        else if (message.kind === 'memory') samples.push(message as MemorySample);
      });
      server.proc.once('exit', (code) => fail(new Error(`the server exited (${code}) before listening`)));
    });
    for (let i = 0; i < 5; i += 1) await pollHealth(port);
    log(`abuse: /healthz for ${seconds} s without abuse, for the machine's own noise`);
    const healthBaseline = await pollAllWays(port, healthPort, seconds);
    server.proc.send({ kind: 'gc' });
    await sleep(500);
    const before = samples.at(-1);
    const duringFrom = samples.length;

    log(
      `abuse: ${sizes.idle} idle, ${sizes['slow-headers']} slow-header and ${sizes['slow-body']} slow-body connections for ${seconds} s; /healthz every ${HEALTH_EVERY_MS} ms`,
    );
    const plan: SwarmPlan = { port, dribbleMs: DRIBBLE_MS, sizes };
    const swarm = start('abuse-swarm.ts', { ...process.env, ABUSE_PLAN: JSON.stringify(plan) });
    children.push(swarm);
    // The attackers' CPU would be on other machines: here they take what the server leaves.
    setLowestPriority(swarm.proc.pid);
    const cpuBefore = cpuSeconds(server.proc.pid ?? 0);
    const machineBefore = machineBusySeconds();
    const startedAt = performance.now();
    const health = await pollAllWays(port, healthPort, seconds);
    const cpuAfter = cpuSeconds(server.proc.pid ?? 0);
    const machineAfter = machineBusySeconds();
    const elapsedS = (performance.now() - startedAt) / 1000;
    const figures = new Promise<SwarmFigures[]>((done) =>
      swarm.proc.on(
        'message',
        (message: { kind: string; figures?: SwarmFigures[] }) =>
          message.kind === 'figures' && done(message.figures ?? []),
      ),
    );
    swarm.proc.send({ kind: 'stop' });
    const swarms = await figures;
    const during = samples.slice(duringFrom);
    await sleep(SETTLE_MS);
    server.proc.send({ kind: 'gc' });
    await sleep(500);
    const after = samples.at(-1);

    const serverS = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    const cores = (cpuS: number): number => Math.round((cpuS / elapsedS) * 100) / 100;
    const peak = (pick: (s: MemorySample) => number): number => MB(Math.max(0, ...during.map(pick)));
    return {
      seconds,
      fileLimit: limit,
      swarms,
      health,
      healthBaseline,
      memory: {
        rssBeforeMB: MB(before?.rssBytes ?? 0),
        rssMaxMB: peak((s) => s.rssBytes),
        rssAfterMB: MB(after?.rssBytes ?? 0),
        heapBeforeMB: MB(before?.heapUsedBytes ?? 0),
        heapMaxMB: peak((s) => s.heapUsedBytes),
        heapAfterMB: MB(after?.heapUsedBytes ?? 0),
      },
      serverCpu: serverS === null ? null : cores(serverS),
      serverLoopDelayMaxMs: Math.round(Math.max(0, ...during.map((s) => s.loopDelayMaxMs))),
      otherCpu:
        serverS === null || machineBefore === null || machineAfter === null
          ? null
          : cores(machineAfter - machineBefore - serverS),
    };
  } finally {
    await Promise.all(children.map(stop));
  }
}
