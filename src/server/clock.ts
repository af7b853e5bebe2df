// The time the server's own timers live by (the webhook dispatcher and its log, the registration
// keeper): the real one in the server, a fake one in tests, so a minute of back-off, of log
// summaries or of the gap between two checks of a portal passes in no time.

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
