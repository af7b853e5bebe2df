// Time to subscribed: from the moment the portal page creates the worker frame (and POSTs the form
// into it) to the moment the portal receives the frame's placementBindEvent for the hold click.
// Measured inside the simulator page, so one clock; warm cache; ours, the bare SDK worker and the floor
// page (test/bench/floor.ts) take turns.
import type { Page } from 'playwright-core';
import { HOLD_EVENT } from '../support/portal-page.ts';
import { median } from './stats.ts';

export const CONTENDERS = ['ours', 'bare', 'floor'] as const;
export type Contender = (typeof CONTENDERS)[number];

export interface SubscribeTimes {
  /** Every measured load, ms, per contender. */
  samples: Record<Contender, number[]>;
  /** Median of each round, per contender, in run order. */
  roundMedians: Record<Contender, number[]>;
}

export interface SubscribeOptions {
  rounds: number;
  loadsPerRound: number;
  /** Pause after each load, so the previous frame's teardown does not overlap the next load. */
  pauseMs?: number;
  log: (line: string) => void;
}

type Sim = { reloadWorker(): void; waitForBind(event: string, count: number): Promise<void> };
declare const portalSim: Sim;

/** Reloads the page's worker frame `loads` times; returns frame creation -> hold click bound, ms, each. */
function reload(page: Page, loads: number, pauseMs: number): Promise<number[]> {
  return page.evaluate(
    async ([event, n, pause]) => {
      const host = document.querySelector('[data-testid="page-frames"]');
      if (!host) throw new Error('the simulator page has no page-frames container');
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        let created = 0;
        // Runs at the microtask checkpoint right after the portal appended the iframe and submitted the form.
        const observer = new MutationObserver(() => {
          if (created === 0 && host.querySelector('iframe')) created = performance.now();
        });
        observer.observe(host, { childList: true });
        portalSim.reloadWorker();
        await portalSim.waitForBind(event, 1);
        const bound = performance.now();
        observer.disconnect();
        if (created === 0) throw new Error('the frame was not seen being created');
        times.push(bound - created);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
      return times;
    },
    [HOLD_EVENT, loads, pauseMs] as const,
  );
}

/**
 * Takes turns round by round, each contender at each place in the order once every three rounds (a
 * Latin square: ours-bare-floor, bare-floor-ours, floor-ours-bare); each round of a contender starts
 * with one unmeasured load.
 */
export async function measureSubscribe(
  pages: Record<Contender, Page>,
  options: SubscribeOptions,
): Promise<SubscribeTimes> {
  const pauseMs = options.pauseMs ?? 150;
  const empty = () => Object.fromEntries(CONTENDERS.map((c) => [c, [] as number[]])) as Record<Contender, number[]>;
  const result: SubscribeTimes = { samples: empty(), roundMedians: empty() };
  for (let round = 0; round < options.rounds; round++) {
    const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length] as Contender);
    for (const who of order) {
      await reload(pages[who], 1, pauseMs);
      const times = await reload(pages[who], options.loadsPerRound, pauseMs);
      result.samples[who].push(...times);
      result.roundMedians[who].push(median(times));
      options.log(
        `round ${round + 1}/${options.rounds} ${who}: median ${median(times).toFixed(1)} ms over ${times.length} loads`,
      );
    }
  }
  return result;
}

/** Ours over another contender: the ratio of the medians of every load, and of each round's medians. */
export function subscribeRatios(
  times: SubscribeTimes,
  baseline: Exclude<Contender, 'ours'>,
): { ofMedians: number; perRound: number[] } {
  return {
    ofMedians: median(times.samples.ours) / median(times.samples[baseline]),
    perRound: times.roundMedians.ours.map((ours, i) => ours / (times.roundMedians[baseline][i] ?? Number.NaN)),
  };
}
