// Load test of the production server against nginx serving the same files; prints a table and writes
// bench-results/server.json. Build first (npm run build).
// Usage: tsx test/bench/server-main.ts [--duration <s>] [--connections <n>] [--dist <dir>]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchServer, SCENARIOS, type Figures, type ScenarioName } from './server-bench.ts';
import { DEFAULT_DIST, requireBuiltDist, RESULTS_DIR } from './cli.ts';

/** The target: p99 latency under this at 200 connections, in every scenario. */
const P99_TARGET_MS = 20;
const CLIENT_BOUND_CPU = 0.9;
const NOISY_CPU = 0.2;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '200' },
    dist: { type: 'string', default: DEFAULT_DIST },
  },
});
const durationSec = Number(values.duration);
const connections = Number(values.connections);
if (!(durationSec > 0) || !Number.isInteger(connections) || connections < 1) {
  console.error('--duration must be a positive number of seconds and --connections a positive whole number');
  process.exit(2);
}
const distDir = requireBuiltDist(values.dist);

console.info(
  `server bench: ${connections} connections, ${durationSec} s per scenario per server, ${cpus().length} CPUs`,
);
const result = await benchServer({ distDir, durationSec, connections, log: (line) => console.info(`  ${line}`) });

const rows: Record<string, string | number>[] = [];
const add = (server: string, figures: Figures): void => {
  for (const scenario of SCENARIOS) {
    const { p50Ms, p99Ms, rps, errors, non2xx, serverCpu, clientCpu, otherCpu } = figures[scenario];
    rows.push({
      server,
      scenario,
      'p50 ms': p50Ms,
      'p99 ms': p99Ms,
      'req/s': rps,
      errors,
      'non-2xx': non2xx,
      'CPU server': serverCpu ?? '?',
      client: clientCpu,
      other: otherCpu ?? '?',
    });
  }
};
add('ours', result.ours);
if (result.nginx) add('nginx', result.nginx);
console.table(rows);
const noisy = Math.max(
  ...[result.ours, ...(result.nginx ? [result.nginx] : [])].flatMap((f) => SCENARIOS.map((s) => f[s].otherCpu ?? 0)),
);
if (noisy >= NOISY_CPU)
  console.info(`note: other processes used up to ${noisy} CPU cores during a run; the figures are noisy`);
if (result.ratio) console.info(`ours / nginx (geometric mean): p99 x${result.ratio.p99}, req/s x${result.ratio.rps}`);
else console.info(`nginx not measured: ${result.nginxSkipped ?? 'unknown reason'}`);

// With the load generator on a full core and the server below one, the latency is the generator's queue.
const clientBound = (s: ScenarioName): boolean =>
  result.ours[s].clientCpu >= CLIENT_BOUND_CPU && (result.ours[s].serverCpu ?? 0) < CLIENT_BOUND_CPU;
for (const s of SCENARIOS) {
  const { p99Ms, errors, non2xx } = result.ours[s];
  const verdict =
    p99Ms < P99_TARGET_MS
      ? 'met'
      : clientBound(s)
        ? 'not measurable: the load generator was saturated, not the server'
        : 'MISSED';
  console.info(
    `target p99 < ${P99_TARGET_MS} ms, ${s}: ${verdict} (p99 ${p99Ms} ms, errors + non-2xx ${errors + non2xx})`,
  );
}

const outDir = RESULTS_DIR;
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'server.json');
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  connections,
  durationSec,
  p99TargetMs: P99_TARGET_MS,
};
writeFileSync(file, `${JSON.stringify({ ...meta, ...result }, null, 2)}\n`);
console.info(`wrote ${file}`);
