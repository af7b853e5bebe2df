/**
 * Confirm mode: the request that carries a hold out is tried again quickly inside its deadline and
 * never after it (a late hold is worse than none). Both the worker's confirming webhook and the
 * server's /api/confirm run this loop.
 */
import type { Decision } from './answers.ts';

/** The event types confirm mode carries out (the others go through the queues only). */
export const CONFIRMED_TYPES: readonly string[] = ['hold.started', 'hold.ended'];
export const isConfirmed = (type: string): boolean => CONFIRMED_TYPES.includes(type);

/** The pause after the first failed try; each later pause doubles, cut to what is left. */
export const CONFIRM_FIRST_PAUSE_MS = 100;

export interface ConfirmClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Tries `attempt` (given the ms left) until it is not a `retry` or `deadline` passes; resolves to
 * the last try's result, or null when no try could start.
 */
export async function confirmWithin<R extends { decision: Decision }>(
  deadline: number,
  clock: ConfirmClock,
  attempt: (leftMs: number) => Promise<R>,
): Promise<R | null> {
  let last: R | null = null;
  for (let pause = CONFIRM_FIRST_PAUSE_MS; clock.now() < deadline; pause *= 2) {
    last = await attempt(deadline - clock.now());
    if (last.decision !== 'retry') break;
    const wait = Math.min(pause, deadline - clock.now());
    if (wait <= 0) break;
    await clock.sleep(wait);
  }
  return last;
}
