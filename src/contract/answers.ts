/**
 * What a webhook receiver's answer means, for both deliverers (the worker's outbox and the server's
 * queue): one decision per answer, written once. The table reads top down; the first row that
 * matches decides. docs/receivers.md gives each row's reason.
 */

/**
 * - `delivered`: done.
 * - `retry`: not now; tried again on the retry schedule until `maxAgeMs`.
 * - `refused`: not this event; tried a few more times, then given up, and the call's later events go on.
 * A Retry-After on an answer that is tried again sets the next try (at most MAX_RETRY_AFTER_MS).
 * - `gone`: the receiver wants nothing more; delivery to it stops until an admin acts.
 */
export type Decision = 'delivered' | 'retry' | 'refused' | 'gone';

/** An answer with a status, or none: no answer within the deadline, or no connection at all. */
export type ReceiverAnswer = { status: number } | { unanswered: 'timeout' | 'network' };

export interface AnswerRule {
  /** What the receiver did, as docs/receivers.md names it. */
  answer: string;
  /** The statuses it covers (inclusive), or the kind of no-answer. */
  match: { from: number; to: number } | { unanswered: 'timeout' | 'network' };
  decision: Decision;
}

const status = (from: number, to = from) => ({ from, to });

/** The rules, first match wins. */
export const ANSWER_RULES: readonly AnswerRule[] = [
  { answer: '2xx', match: status(200, 299), decision: 'delivered' },
  { answer: '3xx redirect (never followed)', match: status(300, 399), decision: 'refused' },
  { answer: '408 Request Timeout', match: status(408), decision: 'retry' },
  { answer: '409 Conflict', match: status(409), decision: 'refused' },
  { answer: '410 Gone', match: status(410), decision: 'gone' },
  { answer: '425 Too Early', match: status(425), decision: 'retry' },
  { answer: '429 Too Many Requests', match: status(429), decision: 'retry' },
  { answer: 'other 4xx', match: status(400, 499), decision: 'refused' },
  { answer: '5xx', match: status(500, 599), decision: 'retry' },
  { answer: 'no answer in time', match: { unanswered: 'timeout' }, decision: 'retry' },
  { answer: 'network error', match: { unanswered: 'network' }, decision: 'retry' },
];

/** A status no row names (1xx, nonsense): a receiver that said nothing usable, tried again. */
const OTHERWISE: AnswerRule = { answer: 'any other status', match: status(0, 999), decision: 'retry' };

/** The row that decides `answer`. */
export function ruleFor(answer: ReceiverAnswer): AnswerRule {
  const found = ANSWER_RULES.find(({ match }) =>
    'unanswered' in answer
      ? 'unanswered' in match && match.unanswered === answer.unanswered
      : 'from' in match && answer.status >= match.from && answer.status <= match.to,
  );
  return found ?? OTHERWISE;
}

/** What to do after a status. */
export const decide = (status: number): Decision => ruleFor({ status }).decision;

/** Whether a status is a redirect: reported as such, never followed. */
export const isRedirect = (status: number): boolean => status >= 300 && status < 400;
