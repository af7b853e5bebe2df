import { decide, isRedirect } from '../contract/answers.ts';
import { parseRetryAfter } from '../contract/retry-schedule.ts';
import type { AttemptResult } from './deliverer.ts';

/**
 * The status a fetch answer stands for: a browser hides a redirect it was told not to follow
 * behind an opaque answer with status 0, which is a redirect all the same.
 */
export const statusOf = (response: Response): number => (response.type === 'opaqueredirect' ? 300 : response.status);

/** How the log names an answer. */
export const answerText = (status: number): string =>
  isRedirect(status) ? `HTTP ${status === 300 ? '3xx' : status}: redirects are not followed` : `HTTP ${status}`;

/**
 * What an answer comes to, by the contract's table; `reason` names it in the log, and a
 * Retry-After (readable only when the receiver exposes it to CORS) sets the next try.
 */
export function attemptFrom(status: number, retryAfter: string | null, reason: string): AttemptResult {
  const decision = decide(status);
  if (decision === 'delivered') return { kind: 'delivered' };
  if (decision === 'gone') return { kind: 'gone', reason };
  return { kind: decision, reason, retryAfterMs: parseRetryAfter(retryAfter, Date.now()) };
}

/** An attempt that got no answer (a time-out or a network error): retried, saying which. */
export function unanswered(error: unknown, timeoutMs: number): AttemptResult {
  const name = error instanceof Error ? error.name : '';
  const reason =
    name === 'TimeoutError'
      ? `no answer within ${timeoutMs} ms`
      : `network error (${error instanceof Error ? error.message : String(error)})`;
  return { kind: 'retry', reason, retryAfterMs: null };
}
