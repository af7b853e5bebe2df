// A clock for the webhook dispatcher in tests: time moves only when the test says so, and the test
// sees which timers wait and when they are due.
import type { Clock } from '../../src/server/clock.ts';

export interface FakeClock extends Clock {
  /** Where it started. */
  readonly started: number;
  /** Moves time on by `ms`, running each timer that comes due, in order. */
  advance(ms: number): void;
  /** In how many ms each waiting timer is due, soonest first. */
  waiting(): number[];
}

export function fakeClock(start: number): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    started: start,
    now: () => now,
    after(ms, run) {
      const id = seq++;
      timers.set(id, { at: now + Math.max(0, ms), run });
      return () => void timers.delete(id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...timers.entries()]
          .filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!next) break;
        timers.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].run();
      }
      now = end;
    },
    waiting: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
  };
}
