// The statistics benchmark's rows for the bench table, against the targets.
import type { Row } from './report.ts';
import type { StatsBenchRun } from './stats-bench.ts';
import { MEMORY_BASELINE, MEMORY_TARGETS, type IdleRss } from './stats-memory.ts';

export const STATS_TARGETS = {
  /** Ingest p99 at the steady rate (200 events/s from 50 operators). */
  ingestP99Ms: 50,
  /** /api/report and /api/report/holds p95 over a million holds, 30-day period. */
  reportP95Ms: 200,
} as const;

/** The memory and start-up rows: RSS of the server's whole process tree, beside the figures. */
function memoryRows(r: StatsBenchRun): Row[] {
  const m = r.memory;
  const starts = m.starts;
  const holds = r.database === 'pglite' ? { baseline: MEMORY_BASELINE.idleMb } : {};
  const idleRows = (what: string, idle: IdleRss, baseline: { baseline?: number }): Row[] => [
    { figure: `stats ${r.database}: idle RSS MB ${what}, 3 s`, ours: idle.earlyMb, ...baseline },
    {
      figure: `stats ${r.database}: idle RSS MB ${what}, 20 s`,
      ours: idle.settledMb,
      ...baseline,
      target: `<= ${MEMORY_TARGETS.idleMb}`,
      met: idle.settledMb <= MEMORY_TARGETS.idleMb,
    },
  ];
  return [
    ...idleRows('(seeded holds)', m.idle, holds),
    {
      figure: `stats ${r.database}: peak RSS MB, steady ingest`,
      ours: m.ingestPeakMb,
      target: `<= ${MEMORY_TARGETS.ingestMb}`,
      met: m.ingestPeakMb <= MEMORY_TARGETS.ingestMb,
    },
    { figure: `stats ${r.database}: peak RSS MB, ingest flat out`, ours: m.flatOutPeakMb },
    { figure: `stats ${r.database}: start to /healthz s (seeded holds)`, ours: m.startSec },
    ...(starts
      ? [
          {
            figure: `stats ${r.database}: first start to /healthz s (empty DATA_DIR)`,
            ours: starts.firstStartSec,
            target: `<= ${MEMORY_TARGETS.firstStartSec}`,
            met: starts.firstStartSec <= MEMORY_TARGETS.firstStartSec,
          },
          {
            figure: `stats ${r.database}: restart to /healthz s (empty database)`,
            ours: starts.restartSec,
            target: `<= ${MEMORY_TARGETS.restartSec}`,
            met: starts.restartSec <= MEMORY_TARGETS.restartSec,
          },
          ...idleRows('after first start', starts.emptyIdle, { baseline: MEMORY_BASELINE.idleMb }),
          ...idleRows('after restart', starts.restartIdle, { baseline: MEMORY_BASELINE.idleMb }),
          {
            figure: 'stats off: idle RSS MB (STATS=off), 20 s',
            ours: starts.statsOffIdle.settledMb,
            baseline: MEMORY_BASELINE.statsOffIdleMb,
          },
        ]
      : []),
  ];
}

export function statsRows(runs: readonly StatsBenchRun[]): Row[] {
  return runs.flatMap((r) => [
    ...memoryRows(r),
    { figure: `stats ${r.database}: ingest events/s (steady, 50 operators)`, ours: r.steady.eventsPerSec },
    {
      figure: `stats ${r.database}: ingest p99 ms (steady)`,
      ours: r.steady.p99Ms,
      target: `< ${STATS_TARGETS.ingestP99Ms}`,
      met: r.steady.p99Ms < STATS_TARGETS.ingestP99Ms && r.steady.errors === 0,
    },
    {
      figure: `stats ${r.database}: ingest p99 ms (first 3 s of load)`,
      ours: r.cold.p99Ms,
      baseline: `p50 ${r.cold.p50Ms} ms`,
    },
    {
      figure: `stats ${r.database}: ingest events/s (flat out, batches of 20)`,
      ours: r.flatOut.eventsPerSec,
      baseline: `p99 ${r.flatOut.p99Ms} ms`,
    },
    { figure: `stats ${r.database}: seed holds (s)`, ours: r.seedSec },
    {
      figure: `stats ${r.database}: /api/report p95 ms (30 d of 1M)`,
      ours: r.report.p95Ms,
      target: `< ${STATS_TARGETS.reportP95Ms}`,
      met: r.report.p95Ms < STATS_TARGETS.reportP95Ms,
    },
    {
      figure: `stats ${r.database}: /api/report/holds longest p95 ms`,
      ours: r.holdsLongest.p95Ms,
      target: `< ${STATS_TARGETS.reportP95Ms}`,
      met: r.holdsLongest.p95Ms < STATS_TARGETS.reportP95Ms,
    },
    {
      figure: `stats ${r.database}: /api/report/holds recent p95 ms`,
      ours: r.holdsRecent.p95Ms,
      target: `< ${STATS_TARGETS.reportP95Ms}`,
      met: r.holdsRecent.p95Ms < STATS_TARGETS.reportP95Ms,
    },
  ]);
}
