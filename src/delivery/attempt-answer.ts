import type { AttemptResult } from './deliverer.ts';

/** Client errors that say "not now" rather than "never": retried like a server error. */
const TRANSIENT = [408, 425, 429];

/**
 * Whether an HTTP status refuses a request for good: any 4xx but those worth waiting out (the
 * transient ones, and `waitable`, which a caller may expect to pass later). Everything else that is
 * not a success is retried.
 */
export function refusesForGood(status: number, waitable: readonly number[] = []): boolean {
  return status >= 400 && status < 500 && !TRANSIENT.includes(status) && !waitable.includes(status);
}

/** An attempt that got no answer (a time-out or a network error): retried, saying which. */
export function unanswered(error: unknown, timeoutMs: number): AttemptResult {
  const name = error instanceof Error ? error.name : '';
  const reason = name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error (${error instanceof Error ? error.message : String(error)})`;
  return { kind: 'retry', reason, retryAfterMs: null };
}
