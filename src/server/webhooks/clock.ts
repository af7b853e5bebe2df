// The time the dispatcher and its log live by: the real one in the server, a fake one in tests, so
// a minute of back-off or of log summaries passes in no time.

export interface Clock {
  now(): number;
  /** Calls `run` once after `ms` (without keeping the process alive); resolves to its cancel. */
  after(ms: number, run: () => void): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
};
