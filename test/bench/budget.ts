// The worker's size budget, checked by `npm test` (test/unit/budget/critical-path.test.ts) against
// dist/: the JavaScript index.html runs and loads at start (its inline script, which subscribes, its
// module script and that script's static imports; lazy chunks do not count), each file gzipped alone at level 9, as test/bench/critical-path.ts
// measures it. Set about 10% above the measured size, so growth is a decision, not an accident.
// To change it: `npm run build`, then `npm run bench` (or `tsx test/bench/size-report.ts`) for the
// current figures; raise or lower these numbers in the same commit as the change that needs it,
// and say why in its message.
export const WORKER_BUDGET = {
  /**
   * Measured 10,156 bytes gzip, 26,800 min when last checked: the inline script 783 / 1,342 (gzipped
   * alone, as if it were a file of its own; it travels inside the compressed page) and the module
   * 9,373 / 25,458 (the relay and outputs load after subscribing); 10,046 / 26,421 before the
   * answer subscription, CALL_STATE and the contract's per-field text bounds. Before the inline script: 9,634 /
   * 26,533 in one file. The worker build leaves luxon out (src/build/no-luxon.ts) and Vite's preload
   * helper too (src/build/lean-preload.ts).
   */
  gzipBytes: 10_600,
  minBytes: 29_200,
} as const;

/** Strings of luxon's own code (error texts, a property name) that survive minification. */
export const LUXON_SIGNATURES = ['Invalid DateTime', 'Invalid Duration', 'unparsable', 'weekNumber'] as const;
