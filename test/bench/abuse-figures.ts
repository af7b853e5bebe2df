// How the abuse run reads against its targets: /healthz answers every poll within 100 ms, and the
// server's memory stays bounded while thousands of connections are held open against it.
import type { AbuseResult } from './abuse.ts';
import type { HealthFigures, HealthPair } from './abuse-health.ts';
import type { Row } from './report.ts';

export const ABUSE_TARGETS = {
  healthMaxMs: 100,
  /** The server's resident memory at its peak under abuse. */
  rssMaxMB: 256,
  /** Heap after the abuse stopped, at most this much above before it began: nothing held on to. */
  heapAfterGrowthMB: 10,
} as const;

export function abuseRows(r: AbuseResult): Row[] {
  const { health, memory } = r;
  const swarmRows: Row[] = r.swarms.map((s) => ({
    figure: `abuse: ${s.kind} x${s.size}, closed by server after p50 / max (ms)`,
    ours: s.closeAfterMs ? `${s.closeAfterMs.p50} / ${s.closeAfterMs.max}` : 'none closed',
    baseline: `${s.opened} opened${Object.keys(s.errors).length ? `, errors ${JSON.stringify(s.errors)}` : ''}`,
    ratio: '',
  }));
  const healthRows = (way: keyof HealthPair, label: string, targeted = true): Row[] => {
    const under = health[way];
    const quiet = r.healthBaseline[way];
    const fine = (h: HealthFigures): boolean => h.failures === 0 && h.maxMs < ABUSE_TARGETS.healthMaxMs;
    return [
      {
        figure: `abuse: /healthz ${label}, p50 / p99 / max of ${under.polls} (ms)`,
        ours: `${under.p50Ms} / ${under.p99Ms} / ${under.maxMs}`,
        baseline: `${under.failures} failed, ${under.over100Ms} >= 100 ms`,
        ratio: '',
        ...(targeted
          ? {
              target: `all < ${ABUSE_TARGETS.healthMaxMs} ms`,
              met: fine(under) ? true : fine(quiet) ? false : 'n/m: slow without abuse too',
            }
          : {}),
      },
      {
        figure: '  same without abuse',
        ours: `${quiet.p50Ms} / ${quiet.p99Ms} / ${quiet.maxMs}`,
        baseline: `${quiet.failures} failed, ${quiet.over100Ms} >= 100 ms`,
        ratio: '',
      },
    ];
  };
  return [
    ...swarmRows,
    ...healthRows('keptAlive', 'kept-alive connection (as via the proxy)'),
    ...healthRows('healthPort', 'HEALTH_PORT, new connection each (as a probe)'),
    // Not a target: this connection waits in the kernel's accept queue behind the thousands the
    // clients open at once, which one process accepts at some thousands a second.
    ...healthRows('newConnection', "main port, new connection each (behind the clients' queue)", false),
    {
      figure: 'abuse: server CPU cores | longest loop block (ms) | other CPU',
      ours: `${r.serverCpu ?? '?'} | ${r.serverLoopDelayMaxMs} | ${r.otherCpu ?? '?'}`,
      ratio: '',
    },
    {
      figure: 'abuse: server RSS MB max (before)',
      ours: memory.rssMaxMB,
      baseline: memory.rssBeforeMB,
      target: `< ${ABUSE_TARGETS.rssMaxMB} MB`,
      met: memory.rssMaxMB < ABUSE_TARGETS.rssMaxMB,
    },
    {
      figure: 'abuse: server heap MB after (before; max)',
      ours: memory.heapAfterMB,
      baseline: `${memory.heapBeforeMB}; ${memory.heapMaxMB}`,
      ratio: '',
      target: `<= before + ${ABUSE_TARGETS.heapAfterGrowthMB}`,
      met: memory.heapAfterMB <= memory.heapBeforeMB + ABUSE_TARGETS.heapAfterGrowthMB,
    },
  ];
}

/** One line per target, for the stand-alone run. */
export function abuseVerdicts(r: AbuseResult): string[] {
  return abuseRows(r)
    .filter((row) => row.met !== undefined)
    .map(
      (row) =>
        `${row.met === true ? 'met' : 'MISSED'}: ${row.figure} = ${row.ours} (${row.baseline ?? ''}; target ${row.target ?? ''})`,
    );
}
