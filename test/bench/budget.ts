// The worker's size budget, checked by `npm test` (test/unit/budget/critical-path.test.ts) against
// dist/: the JavaScript index.html loads before the worker subscribes (its scripts and their static
// imports; lazy chunks do not count), each file gzipped alone at level 9, as test/bench/critical-path.ts
// measures it. Set about 10% above the measured size, so growth is a decision, not an accident.
// To change it: `npm run build`, then `npm run bench` (or `tsx test/bench/size-report.ts`) for the
// current figures; raise or lower these numbers in the same commit as the change that needs it,
// and say why in its message.
export const WORKER_BUDGET = {
  /** Measured 37,990 bytes gzip, 116,318 min (one file: the app page is a build of its own) when last checked. */
  gzipBytes: 42_500,
  minBytes: 128_000,
} as const;
