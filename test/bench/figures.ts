// What the benchmark measured, and how it reads against its targets.
import type { SizeGroup } from './size-report.ts';
import { abuseRows } from './abuse-figures.ts';
import type { AbuseResult } from './abuse.ts';
import type { CriticalPath } from './critical-path.ts';
import type { EventPath, LatencySummary } from './event-path.ts';
import type { HeapChange } from './heap.ts';
import { kB, MB, type Row } from './report.ts';
import { SCENARIOS, type ServerBench } from './server-bench.ts';
import type { SoakResult } from './soak.ts';
import { median } from './stats.ts';
import { subscribeRatios, type SubscribeTimes } from './subscribe-time.ts';

export const TARGETS = {
  /** Time to subscribed, ours / bare SDK worker (medians). */
  subscribeRatio: 1.1,
  /** Time to subscribed, ours / the floor page: no SDK, one inline postMessage (medians). */
  floorRatio: 1.05,
  /** Our critical-path JS may exceed the bare SDK worker's by this much, gzip. */
  gzipOverSdkBytes: 10 * 1024,
  /** And be at most this, gzip: what a slow laptop parses on every portal page. */
  gzipBytes: 16 * 1024,
  eventP99Ms: 5,
  /** Heap after / before the toggles. */
  heapRatio: 1.1,
  /** Outbox backlog in the soak's second half at most this times the first half's (or 1 s of clicks). */
  backlogGrowth: 1.25,
  /** The production server's p99 at 200 connections, every scenario (as test/bench/server-main.ts). */
  serverP99Ms: 20,
} as const;

export interface BenchResults {
  config: {
    soakSec: number;
    soakRate: number;
    serverSec: number;
    rounds: number;
    loadsPerRound: number;
    pauseMs: number;
    clicks: number;
    heapToggles: number;
    abuseSec: number;
    abuseIdle: number;
  };
  bytes: { ours: CriticalPath; bare: CriticalPath; split: SizeGroup[] };
  subscribe: SubscribeTimes;
  eventPath: EventPath | null;
  heap: HeapChange | null;
  soak: SoakResult | null;
  server: ServerBench | null;
  abuse: AbuseResult | null;
}

const CLIENT_BOUND_CPU = 0.9;
const sizes = (s: { minBytes: number; gzipBytes: number }): string =>
  `${kB(s.minBytes).toFixed(1)} / ${kB(s.gzipBytes).toFixed(1)}`;
const pair = (l: LatencySummary): string => `${l.p50Ms.toFixed(2)} / ${l.p99Ms.toFixed(2)}`;

function soakRows(soak: SoakResult, rate: number): Row[] {
  const flat =
    soak.backlog.secondHalfMax <= Math.max(soak.backlog.firstHalfMax * TARGETS.backlogGrowth, rate) &&
    soak.drainMs !== null;
  return [
    { figure: `soak: clicks (${soak.seconds.toFixed(0)} s at ${soak.achievedRate.toFixed(0)}/s)`, ours: soak.clicks },
    {
      figure: 'soak: clicks not broadcast',
      ours: soak.clicks - soak.broadcasts,
      target: '0',
      met: soak.broadcasts === soak.clicks,
    },
    {
      figure: 'soak: clicks not delivered to webhook',
      ours: soak.clicks - soak.delivered,
      baseline: soak.droppedFull > 0 ? `${soak.droppedFull} dropped (outbox full)` : '',
      target: '0',
      met: soak.delivered === soak.clicks && soak.duplicates === 0 && soak.badSignatures === 0,
    },
    {
      figure: 'soak: outbox backlog max, 2nd half vs 1st',
      ours: soak.backlog.secondHalfMax,
      baseline: soak.backlog.firstHalfMax,
      target: `<= ${TARGETS.backlogGrowth}x 1st (or ${rate}), drains`,
      met: flat,
    },
    {
      figure: 'soak: drained after last click (ms)',
      ours: soak.drainMs ?? 'no',
      target: 'drains',
      met: soak.drainMs !== null,
    },
    heapRow(`soak: worker heap MB after ${soak.heap.toggles} (before)`, soak.heap),
  ];
}

const heapRow = (figure: string, heap: HeapChange): Row => ({
  figure,
  ours: MB(heap.afterBytes),
  baseline: MB(heap.beforeBytes),
  target: `ratio <= ${TARGETS.heapRatio}`,
  met: heap.ratio <= TARGETS.heapRatio,
});

function serverRows(server: ServerBench): Row[] {
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) {
    const ours = server.ours[scenario];
    const nginx = server.nginx?.[scenario];
    const clientBound = ours.clientCpu >= CLIENT_BOUND_CPU && (ours.serverCpu ?? 0) < CLIENT_BOUND_CPU;
    rows.push({
      figure: `server p99 ms, ${scenario}`,
      ours: ours.p99Ms,
      baseline: nginx?.p99Ms ?? 'n/a',
      target: `< ${TARGETS.serverP99Ms} ms`,
      met:
        ours.p99Ms < TARGETS.serverP99Ms ? ours.errors + ours.non2xx === 0 : clientBound ? 'n/m: client-bound' : false,
    });
    rows.push({ figure: `server req/s, ${scenario}`, ours: ours.rps, baseline: nginx?.rps ?? 'n/a' });
  }
  if (server.ratio)
    rows.push({
      figure: 'server vs nginx, geo. mean p99 | req/s',
      ours: `x${server.ratio.p99}`,
      baseline: `x${server.ratio.rps}`,
      ratio: '',
    });
  else rows.push({ figure: 'server vs nginx', ours: 'nginx not measured', baseline: server.nginxSkipped ?? '' });
  return rows;
}

function eventRows(path: EventPath): Row[] {
  return [
    {
      figure: 'click -> first output dispatched p50 (ms)',
      ours: path.clickToDispatch.p50Ms,
      baseline: path.clickToMessage.p50Ms,
      ratio: '',
    },
    {
      figure: `click -> first output dispatched p99, ${path.clicks} clicks (ms)`,
      ours: path.clickToDispatch.p99Ms,
      baseline: path.clickToMessage.p99Ms,
      ratio: '',
      target: `< ${TARGETS.eventP99Ms} ms`,
      met: path.clickToDispatch.p99Ms < TARGETS.eventP99Ms,
    },
    { figure: '  of which the worker: message in -> dispatched p50 / p99', ours: pair(path.messageToDispatch) },
    { figure: '  click -> broadcast received by a page p50 / p99', ours: pair(path.clickToReceive) },
  ];
}

export function figureRows(r: BenchResults): Row[] {
  const sub = {
    ours: median(r.subscribe.samples.ours),
    bare: median(r.subscribe.samples.bare),
    floor: median(r.subscribe.samples.floor),
  };
  const vsBare = subscribeRatios(r.subscribe, 'bare');
  const vsFloor = subscribeRatios(r.subscribe, 'floor');
  const rounds = (ratios: number[]) => ratios.map((x) => x.toFixed(2)).join(', ');
  const { ours, bare } = r.bytes;
  const overSdk = ours.gzipBytes - bare.gzipBytes;
  const rows: Row[] = [
    {
      figure: `time to subscribed vs bare SDK worker, median of ${r.subscribe.samples.ours.length} (ms)`,
      ours: sub.ours,
      baseline: sub.bare,
      ratio: vsBare.ofMedians,
      target: `ratio <= ${TARGETS.subscribeRatio}`,
      met: vsBare.ofMedians <= TARGETS.subscribeRatio,
    },
    {
      figure: `time to subscribed vs floor page, median of ${r.subscribe.samples.ours.length} (ms)`,
      ours: sub.ours,
      baseline: sub.floor,
      ratio: vsFloor.ofMedians,
      target: `ratio <= ${TARGETS.floorRatio}`,
      met: vsFloor.ofMedians <= TARGETS.floorRatio,
    },
    {
      figure: '  per round: ours / floor | ours / bare',
      ours: rounds(vsFloor.perRound),
      baseline: rounds(vsBare.perRound),
      ratio: '',
    },
    { figure: 'critical-path JS, min (kB)', ours: kB(ours.minBytes), baseline: kB(bare.minBytes) },
    {
      figure: 'critical-path JS, gzip (kB)',
      ours: kB(ours.gzipBytes),
      baseline: kB(bare.gzipBytes),
      target: `<= ${kB(TARGETS.gzipBytes)} kB, <= bare + ${kB(TARGETS.gzipOverSdkBytes)} kB`,
      met: ours.gzipBytes <= TARGETS.gzipBytes && overSdk <= TARGETS.gzipOverSdkBytes,
    },
    ...r.bytes.split.map((g) => ({ figure: `  ours: ${g.name}, min / gzip (kB)`, ours: sizes(g) })),
    ...ours.lazy.map((c) => ({ figure: `  lazy, not on the path: ${c.file}, min / gzip (kB)`, ours: sizes(c) })),
  ];
  rows.push(...(r.eventPath ? eventRows(r.eventPath) : [{ figure: 'event path', ours: 'skipped (BENCH_CLICKS=0)' }]));
  if (r.heap) rows.push(heapRow(`worker heap MB after ${r.heap.toggles} toggles (before)`, r.heap));
  if (r.soak) rows.push(...soakRows(r.soak, r.config.soakRate));
  else rows.push({ figure: 'soak', ours: 'skipped (BENCH_SOAK_SEC=0)' });
  if (r.server) rows.push(...serverRows(r.server));
  else rows.push({ figure: 'server', ours: 'skipped (BENCH_SERVER_SEC=0)' });
  if (r.abuse) rows.push(...abuseRows(r.abuse));
  else rows.push({ figure: 'abuse', ours: 'skipped (BENCH_ABUSE_SEC=0)' });
  return rows;
}
