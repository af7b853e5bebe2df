// Brings the report sums up to date a few seconds after ingest changed them (see rollups.ts), so
// a busy quarter is recomputed once per pass, not once per batch, and never while an operator's
// batch waits. A report refreshes its own portal first, so it never waits for this; the live list
// reads the holds themselves.
import type { Queryable } from '../db/index.ts';
import { refreshAllSums } from './rollups.ts';

export const REFRESH_EVERY_MS = 5000;

export interface SumsRefresher {
  /** Stops, after the pass under way if any. */
  stop(): Promise<void>;
}

export function startSumsRefresher(
  db: Queryable,
  warn: (line: string) => void,
  everyMs = REFRESH_EVERY_MS,
): SumsRefresher {
  let pass: Promise<void> | null = null;
  let failing = false;
  const run = (): void => {
    if (pass) return;
    pass = refreshAllSums(db)
      .then(
        () => {
          failing = false;
        },
        (error: unknown) => {
          // Said once per outage: the sums wait in stale_quarters, and reports refresh their own portal.
          if (!failing)
            warn(
              `statistics: bringing the report sums up to date failed, trying again every ${everyMs} ms: ${error instanceof Error ? error.message : String(error)}`,
            );
          failing = true;
        },
      )
      .finally(() => {
        pass = null;
      });
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pass;
    },
  };
}
