// Soak: Hold clicks at a steady rate with the broadcast and webhook outputs on. Checks that every
// click reaches both (no loss), that the webhook outbox stays flat and drains, and the worker
// frame's heap once all the work is done.
import type { BrowserContext, Frame, Page } from 'playwright-core';
import type { WebhookSink } from '../../src/simulator/sink.ts';
import { clickBurst, workerHeap, type HeapChange } from './heap.ts';
import { readProbe } from './worker-page.ts';

export interface SoakOptions {
  seconds: number;
  ratePerSec: number;
  /** How long to wait after the last click for the outbox to drain; default 45 s. */
  drainTimeoutMs?: number;
  log: (line: string) => void;
}

export interface SoakResult {
  clicks: number;
  seconds: number;
  /** Clicks per second the page achieved. */
  achievedRate: number;
  broadcasts: number;
  /** Distinct events the sink answered 2xx, and repeats of one it had already taken. */
  delivered: number;
  duplicates: number;
  badSignatures: number;
  failedAttempts: number;
  /** Events the worker reported dropping because its outbox was full. */
  droppedFull: number;
  /** Clicks not yet delivered, sampled each second: the outbox's length. */
  backlog: { samples: number[]; firstHalfMax: number; secondHalfMax: number };
  /** From the last click to every click delivered (or dropped) and the worker idle; null when that did not happen. */
  drainMs: number | null;
  /** Heap before the soak, and after it once drained (or at the timeout). */
  heap: HeapChange;
}

type SentWindow = Window & { benchSent?: number };
declare const portalSim: { clickHold(): void };

const HOLD_TYPES = new Set(['hold.started', 'hold.ended']);
const WARM_UP_TOGGLES = 100;
/** Stop waiting for the drain when no event has been delivered for this long. */
const STALL_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts the sink's hold deliveries from now on; its attempt list is bounded, so it is read often. */
function trackSink(sink: WebhookSink) {
  let lastSeq = Math.max(0, ...sink.attempts.map((a) => a.seq));
  const ids = new Set<string>();
  const counts = { duplicates: 0, badSignatures: 0, failedAttempts: 0 };
  const poll = (): void => {
    for (const attempt of sink.attempts) {
      if (attempt.seq <= lastSeq) continue;
      lastSeq = attempt.seq;
      if (!HOLD_TYPES.has(attempt.type ?? '')) continue;
      if (attempt.verified === false) counts.badSignatures++;
      if (attempt.status < 200 || attempt.status > 299 || attempt.id === null) counts.failedAttempts++;
      else if (ids.has(attempt.id)) counts.duplicates++;
      else ids.add(attempt.id);
    }
  };
  const timer = setInterval(poll, 50);
  return { delivered: () => (poll(), ids.size), counts, stop: () => clearInterval(timer) };
}

/** No Web Lock held or waited for in the frame: the outbox's deliverer has nothing left to do. */
const locksIdle = (frame: Frame): Promise<boolean> =>
  frame.evaluate(async () => {
    const { held = [], pending = [] } = await navigator.locks.query();
    return held.length === 0 && pending.length === 0;
  });

/** Ms until `check` holds; null after `timeoutMs`, or once `progress` has not changed for `stallMs`. */
async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  progress = () => 0,
  stallMs = timeoutMs,
): Promise<number | null> {
  const started = Date.now();
  let last = { value: progress(), at: started };
  while (!(await check())) {
    const now = Date.now();
    if (progress() !== last.value) last = { value: progress(), at: now };
    if (now - started > timeoutMs || now - last.at > stallMs) return null;
    await sleep(100);
  }
  return Date.now() - started;
}

/** Distinct event ids in the worker's "outbox full ... dropped the oldest, never delivered: a, b" lines. */
function droppedIds(lines: readonly string[], from = 0): Set<string> {
  const ids = new Set<string>();
  for (const line of lines.slice(from)) {
    if (line.includes('outbox full'))
      line
        .split('never delivered: ')[1]
        ?.split(', ')
        .forEach((id) => ids.add(id));
  }
  return ids;
}

/** Runs on a page whose worker has the broadcast and webhook outputs, a probe and a call on the card. */
export async function soak(
  context: BrowserContext,
  page: Page,
  frame: Frame,
  sink: WebhookSink,
  workerLines: readonly string[],
  options: SoakOptions,
): Promise<SoakResult> {
  const { seconds, ratePerSec, log } = options;
  // Warm: the webhook chunk loaded, the outbox open, the code optimised; then the first heap reading.
  const warm = trackSink(sink);
  await clickBurst(page, WARM_UP_TOGGLES);
  await until(async () => warm.delivered() >= WARM_UP_TOGGLES && (await locksIdle(frame)), 30_000);
  warm.stop();
  const holds0 = (await readProbe(frame)).holds;
  const linesFrom = workerLines.length;
  const dropped = () => droppedIds(workerLines, linesFrom).size;
  const beforeBytes = await workerHeap(context, frame);
  const tracker = trackSink(sink);
  try {
    const run = page.evaluate(
      async ([rate, secs]) => {
        const w = window as SentWindow;
        const total = Math.round(rate * secs);
        const start = performance.now();
        let sent = 0;
        while (sent < total) {
          const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
          for (; sent < due; sent++) portalSim.clickHold();
          w.benchSent = sent;
          await new Promise((resolve) =>
            setTimeout(resolve, Math.max(0, start + (sent * 1000) / rate - performance.now())),
          );
        }
        return { sent, ms: performance.now() - start };
      },
      [ratePerSec, seconds] as const,
    );
    const backlog: number[] = [];
    let finished = false;
    void run.then(
      () => void (finished = true),
      () => void (finished = true),
    );
    for (let second = 1; !finished; second++) {
      await Promise.race([run, sleep(1000)]);
      const sent = await page.evaluate(() => (window as SentWindow).benchSent ?? 0);
      backlog.push(sent - tracker.delivered());
      if (second % 10 === 0) {
        log(
          `soak: ${second}/${seconds} s, ${sent} clicks, ${(await readProbe(frame)).holds - holds0} broadcasts, ${tracker.delivered()} delivered`,
        );
      }
    }
    const { sent: clicks, ms } = await run;
    log(
      `soak: ${clicks} clicks sent; waiting up to ${(options.drainTimeoutMs ?? 45_000) / 1000} s for the outbox to drain (less if delivery stalls ${STALL_MS / 1000} s)`,
    );
    const drained = async () => tracker.delivered() >= clicks - dropped() && (await locksIdle(frame));
    const drainMs = await until(drained, options.drainTimeoutMs ?? 45_000, () => tracker.delivered(), STALL_MS);
    if (drainMs === null) log(`soak: not drained: ${tracker.delivered()} of ${clicks} delivered, ${dropped()} dropped`);
    const afterBytes = await workerHeap(context, frame);
    const half = Math.ceil(backlog.length / 2);
    return {
      clicks,
      seconds: ms / 1000,
      achievedRate: clicks / (ms / 1000),
      broadcasts: (await readProbe(frame)).holds - holds0,
      delivered: tracker.delivered(),
      ...tracker.counts,
      droppedFull: dropped(),
      backlog: {
        samples: backlog,
        firstHalfMax: Math.max(0, ...backlog.slice(0, half)),
        secondHalfMax: Math.max(0, ...backlog.slice(half)),
      },
      drainMs,
      heap: { toggles: clicks, beforeBytes, afterBytes, ratio: afterBytes / beforeBytes },
    };
  } finally {
    tracker.stop();
  }
}
