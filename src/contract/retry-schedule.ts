/** When to try a failed delivery again: growing pauses with jitter, the receiver's Retry-After honoured. */
export const FIRST_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 5 * 60_000;
/** A Retry-After beyond this is read as this: events must not sit for days behind one header. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * Pause before attempt `attempt + 1` after `attempt` failures (1, 2, …): 1 s, 2 s, 4 s … up to
 * 5 min, each between half and all of that so that frames that failed together spread out.
 */
export function retryDelay(
  attempt: number,
  random: () => number = Math.random,
  retryAfterMs: number | null = null,
): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** Reads a Retry-After header (seconds or an HTTP date) as milliseconds from `now`, or null. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/^[A-Za-z]{3}, /.test(value)) return null;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * After a refusal (see answers.ts), the pauses before each further try; past the last one the event
 * is given up. The worker's outbox waits longer, as a frame shares its receiver with every other
 * operator's frames; the server tries again within seconds.
 */
export const REFUSED_PAUSES_MS = {
  /** Four tries in about two minutes. */
  outbox: [10_000, 30_000, 60_000],
  /** Three tries within seconds. */
  queue: [1_000, 2_000],
} as const;

/** The pause after a refusal that made `attempts` tries in all (Retry-After honoured), or null: give it up. */
export function refusedPause(
  attempts: number,
  pausesMs: readonly number[],
  retryAfterMs: number | null,
): number | null {
  const pause = pausesMs[attempts - 1];
  return pause === undefined ? null : Math.max(pause, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}
