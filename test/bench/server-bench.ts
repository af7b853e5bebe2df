// Load test of the production server (src/server), next to nginx serving the same dist/ when one is
// installed. Our server runs as `npm run serve` does, in its own process, so the load generator never
// shares its event loop. Everything listens on 127.0.0.1 only.
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { cpuSeconds, freePort, machineBusySeconds, startChild, waitForHttp } from './child.ts';
import { NGINX_BIN, startNginx } from './nginx.ts';

export const SCENARIOS = ['POST / (portal form body, like Bitrix24)', 'GET /', 'GET hashed asset'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Row {
  p50Ms: number;
  p99Ms: number;
  rps: number;
  /** Connection errors, timeouts included. */
  errors: number;
  non2xx: number;
  /** CPU cores the server used on average during the run (nginx: master and worker); null without /proc. */
  serverCpu: number | null;
  /** CPU cores the load generator (this process) used: near 1 means it, not the server, set the pace. */
  clientCpu: number;
  /** CPU cores everything else on the machine used meanwhile: well above 0 means a noisy run. */
  otherCpu: number | null;
}
export type Figures = Record<ScenarioName, Row>;

export interface ServerBench {
  ours: Figures;
  nginx: Figures | null;
  nginxSkipped?: string;
  /** ours / nginx, geometric mean over the scenarios (p99 counted as at least 1 ms, autocannon's resolution). */
  ratio: { p99: number; rps: number } | null;
}

export interface BenchOptions {
  distDir: string;
  /** Seconds per scenario per server; default 10. */
  durationSec?: number;
  /** Concurrent connections; default 200. */
  connections?: number;
  log?: (line: string) => void;
}

interface Target {
  name: 'ours' | 'nginx';
  url: string;
  pid: number;
}

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const WARMUP_SEC = 1;
const SERVER_MAIN = resolve(import.meta.dirname, '../../src/server/main.ts');

/** The form the portal POSTs when it opens the worker frame (values are made up, sizes are real). */
export const PORTAL_FORM = new URLSearchParams({
  DOMAIN: 'example.bitrix24.com',
  PROTOCOL: '1',
  LANG: 'en',
  APP_SID: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  AUTH_ID: '4c8e2d6700703a8f0066b39a00000007000003b6a1d2e0c4f5a6b7c8d9e0f1a2b3c4d5',
  AUTH_EXPIRES: '3600',
  REFRESH_ID: '3c0f4a6700703a8f0066b39a00000007000003f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7',
  member_id: 'da45a03b265edd8787f8a258d793cc5d',
  status: 'L',
  PLACEMENT: 'PAGE_BACKGROUND_WORKER',
  PLACEMENT_OPTIONS: JSON.stringify({ ID: 'PAGE_BACKGROUND_WORKER', URI: '/crm/' }),
}).toString();

/** Both servers get `accept-encoding: gzip`, so each sends its precompressed gzip copy. */
function requests(asset: string): Record<ScenarioName, RequestSpec> {
  const headers = { 'accept-encoding': 'gzip' };
  return {
    'POST / (portal form body, like Bitrix24)': {
      method: 'POST',
      path: '/',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: PORTAL_FORM,
    },
    'GET /': { method: 'GET', path: '/', headers },
    'GET hashed asset': { method: 'GET', path: asset, headers },
  };
}

/** The script index.html loads: the asset every page view fetches (until cached). */
export function hashedAsset(distDir: string): string {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const match = /src="(\/assets\/[^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`no /assets/ script in ${join(distDir, 'index.html')}`);
  return match[1];
}

/** Fails unless POST / returns index.html itself and the asset is served whole. */
async function verify(target: Target, distDir: string, asset: string): Promise<void> {
  const page = await fetch(new URL('/', target.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: PORTAL_FORM,
  });
  const html = await page.text();
  if (page.status !== 200 || html !== readFileSync(join(distDir, 'index.html'), 'utf8')) {
    throw new Error(`${target.name}: POST / answered ${page.status} without index.html`);
  }
  const script = await fetch(new URL(asset, target.url));
  const size = (await script.arrayBuffer()).byteLength;
  if (script.status !== 200 || size !== statSync(join(distDir, asset)).size) {
    throw new Error(`${target.name}: GET ${asset} answered ${script.status} with ${size} bytes`);
  }
}

async function load(target: Target, spec: RequestSpec, connections: number, durationSec: number): Promise<Row> {
  const serverBefore = cpuSeconds(target.pid);
  const clientBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const started = performance.now();
  const result = await autocannon({
    url: new URL(spec.path, target.url).href,
    method: spec.method,
    headers: spec.headers,
    body: spec.body,
    connections,
    duration: durationSec,
    timeout: 10,
  });
  const elapsedS = (performance.now() - started) / 1000;
  const serverAfter = cpuSeconds(target.pid);
  const machineAfter = machineBusySeconds();
  const client = process.cpuUsage(clientBefore);
  const cores = (seconds: number): number => Math.round((seconds / elapsedS) * 100) / 100;
  const serverS = serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore;
  const clientS = (client.user + client.system) / 1e6;
  const machineS = machineBefore === null || machineAfter === null ? null : machineAfter - machineBefore;
  return {
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    rps: Math.round(result.requests.average),
    errors: result.errors,
    non2xx: result.non2xx,
    serverCpu: serverS === null ? null : cores(serverS),
    clientCpu: cores(clientS),
    otherCpu: serverS === null || machineS === null ? null : Math.max(0, cores(machineS - serverS - clientS)),
  };
}

function geometricMean(values: number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

function ratioOf(ours: Figures, nginx: Figures): { p99: number; rps: number } {
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    p99: round(geometricMean(SCENARIOS.map((s) => Math.max(ours[s].p99Ms, 1) / Math.max(nginx[s].p99Ms, 1)))),
    rps: round(geometricMean(SCENARIOS.map((s) => Math.max(ours[s].rps, 1) / Math.max(nginx[s].rps, 1)))),
  };
}

export async function benchServer(opts: BenchOptions): Promise<ServerBench> {
  // Both servers serve a copy, so a rebuild of dist/ during the run cannot change or remove their files.
  const distDir = mkdtempSync(join(tmpdir(), 'bench-dist-'));
  cpSync(resolve(opts.distDir), distDir, { recursive: true });
  const durationSec = opts.durationSec ?? 10;
  const connections = opts.connections ?? 200;
  const log = opts.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];

  try {
    const asset = hashedAsset(distDir);
    const specs = requests(asset);
    const port = await freePort();
    // Statistics off: this compares the pages' path with nginx; test/bench/stats-bench.ts measures the API.
    const env = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_FORMAT: 'none',
      DIST_DIR: distDir,
      STATS: 'off',
    };
    const server = startChild(
      'our server',
      process.execPath,
      ['--import', import.meta.resolve('tsx'), SERVER_MAIN],
      env,
    );
    stops.push(() => server.stop());
    const ours: Target = { name: 'ours', url: `http://127.0.0.1:${port}/`, pid: server.proc.pid ?? 0 };
    await waitForHttp(new URL('/healthz', ours.url).href, server);
    await verify(ours, distDir, asset);
    const targets: Target[] = [ours];

    let nginxSkipped: string | undefined;
    try {
      const nginx = await startNginx(distDir);
      stops.push(() => nginx.stop());
      const target: Target = { name: 'nginx', url: nginx.url, pid: nginx.child.proc.pid ?? 0 };
      await verify(target, distDir, asset);
      targets.push(target);
    } catch (error) {
      nginxSkipped = error instanceof Error ? error.message : String(error);
      if (!nginxSkipped.includes(NGINX_BIN)) log(`nginx skipped: ${nginxSkipped}`);
    }

    const figures: Partial<Record<Target['name'], Partial<Figures>>> = {};
    for (const [index, scenario] of SCENARIOS.entries()) {
      // Alternate who goes first, so neither server always runs on a warmer machine.
      const order = index % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        await load(target, specs[scenario], connections, WARMUP_SEC);
        const row = await load(target, specs[scenario], connections, durationSec);
        (figures[target.name] ??= {})[scenario] = row;
        log(
          `${target.name.padEnd(5)} ${scenario}: p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.rps} req/s, ${row.errors} errors, ${row.non2xx} non-2xx, CPU server ${row.serverCpu ?? '?'} client ${row.clientCpu} other ${row.otherCpu ?? '?'}`,
        );
      }
    }
    const oursFigures = figures.ours as Figures;
    const nginxFigures = (figures.nginx as Figures | undefined) ?? null;
    return {
      ours: oursFigures,
      nginx: nginxFigures,
      ...(nginxSkipped === undefined ? {} : { nginxSkipped }),
      ratio: nginxFigures ? ratioOf(oursFigures, nginxFigures) : null,
    };
  } finally {
    await Promise.allSettled(stops.map((stop) => stop()));
    rmSync(distDir, { recursive: true, force: true });
  }
}
