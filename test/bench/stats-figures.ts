// The statistics benchmark's rows for the bench table, against the targets.
import type { Row } from './report.ts';
import type { StatsBenchRun } from './stats-bench.ts';

export const STATS_TARGETS = {
  /** Ingest p99 at the steady rate (200 events/s from 50 operators). */
  ingestP99Ms: 50,
  /** /api/report and /api/report/holds p95 over a million holds, 30-day period. */
  reportP95Ms: 200,
} as const;

export function statsRows(runs: readonly StatsBenchRun[]): Row[] {
  return runs.flatMap((r) => [
    { figure: `stats ${r.database}: ingest events/s (steady, 50 operators)`, ours: r.steady.eventsPerSec },
    { figure: `stats ${r.database}: ingest p99 ms (steady)`, ours: r.steady.p99Ms, target: `< ${STATS_TARGETS.ingestP99Ms}`, met: r.steady.p99Ms < STATS_TARGETS.ingestP99Ms && r.steady.errors === 0 },
    { figure: `stats ${r.database}: ingest p99 ms (first 3 s of load)`, ours: r.cold.p99Ms, baseline: `p50 ${r.cold.p50Ms} ms` },
    { figure: `stats ${r.database}: ingest events/s (flat out, batches of 20)`, ours: r.flatOut.eventsPerSec, baseline: `p99 ${r.flatOut.p99Ms} ms` },
    { figure: `stats ${r.database}: seed holds (s)`, ours: r.seedSec },
    { figure: `stats ${r.database}: /api/report p95 ms (30 d of 1M)`, ours: r.report.p95Ms, target: `< ${STATS_TARGETS.reportP95Ms}`, met: r.report.p95Ms < STATS_TARGETS.reportP95Ms },
    { figure: `stats ${r.database}: /api/report/holds longest p95 ms`, ours: r.holdsLongest.p95Ms, target: `< ${STATS_TARGETS.reportP95Ms}`, met: r.holdsLongest.p95Ms < STATS_TARGETS.reportP95Ms },
    { figure: `stats ${r.database}: /api/report/holds recent p95 ms`, ours: r.holdsRecent.p95Ms, target: `< ${STATS_TARGETS.reportP95Ms}`, met: r.holdsRecent.p95Ms < STATS_TARGETS.reportP95Ms },
  ]);
}
