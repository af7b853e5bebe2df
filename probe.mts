import { mkdtempSync, cpSync } from 'node:fs';
import { openDatabase } from './src/server/db/index.ts';
import { seedHolds } from './bench/stats-seed.ts';
import { periodReport } from './src/server/stats/report.ts';
const dir = mkdtempSync('/tmp/pgl-rep-');
cpSync('/tmp/relay-pglite-template-0.5.16', dir, { recursive: true });
const db = await openDatabase({ databaseUrl: process.env.URL ?? null, dataDir: dir });
if (process.env.URL) await db.exec('truncate holds, calls');
let t = performance.now();
await seedHolds(db, { portal: 'p', holds: Number(process.env.N ?? 100000), days: 180, operators: 50, firstUserId: 100 });
console.log('seed s', (performance.now() - t) / 1000);
const period = { from: new Date(Date.now() - 30 * 86400000), to: new Date(), tz: 'Europe/Berlin' };
for (let i = 0; i < 3; i++) { t = performance.now(); await periodReport(db, 'p', period); console.log('report ms', performance.now() - t); }
const args = ['p', period.from, period.to];
for (const [name, sql] of [
  ['count', 'select count(*) from holds where portal=$1 and started_at >= $2 and started_at < $3'],
  ['sums', 'select count(*), sum(held_ms) filter (where ended_at is not null), max(held_ms) from holds where portal=$1 and started_at >= $2 and started_at < $3 and not failed'],
  ['distinct', 'select count(distinct call_key) from holds where portal=$1 and started_at >= $2 and started_at < $3 and not failed'],
  ['calls', 'select count(*) from calls where portal=$1 and first_at < $3 and last_at >= $2'],
] as const) { t = performance.now(); await db.query(sql, args); console.log(name, performance.now() - t); }
console.log((await db.query("explain analyze select count(distinct call_key) from holds where portal=$1 and started_at >= $2 and started_at < $3 and not failed", args)).map((r: any) => r['QUERY PLAN']).join('\n'));
await db.close();
