// The statistics benchmark alone: ingest from 50 operators and the report over a million holds, on
// the embedded database and, with DATABASE_URL (a throwaway database), on PostgreSQL too. Writes
// bench-results/stats.json. Build first (npm run build): the server serves dist/.
// Environment: BENCH_STATS_HOLDS (1000000), BENCH_STATS_SEC (10), BENCH_STATS_RATE (200); BENCH_STATS_NO_STARTS=1
// skips the embedded database's first start, restart and STATS=off memory figures (about a minute).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { benchStats } from './stats-bench.ts';
import { formatTable } from './report.ts';
import { statsRows } from './stats-figures.ts';

const number = (name: string, fallback: number): number => {
  const value = Number(process.env[name] || fallback);
  if (!(value > 0)) throw new Error(`${name} must be a positive number`);
  return value;
};
const started = performance.now();
const log = (line: string): void =>
  console.info(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] stats: ${line}`);

const runs = await benchStats({
  databaseUrl: process.env.DATABASE_URL || null,
  holds: number('BENCH_STATS_HOLDS', 1_000_000),
  ingestSec: number('BENCH_STATS_SEC', 10),
  rate: number('BENCH_STATS_RATE', 200),
  log,
});
if (!process.env.DATABASE_URL) log('PostgreSQL skipped: set DATABASE_URL to a throwaway database to measure it too');
console.info(`\n${formatTable(statsRows(runs))}\n`);
const outDir = resolve(import.meta.dirname, '../../bench-results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'stats.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, runs }, null, 2)}\n`,
);
