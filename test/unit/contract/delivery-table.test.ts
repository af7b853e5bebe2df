// @vitest-environment node
// The delivery table, row by row, through both deliverers: the worker's outbox and confirming
// webhook, and the server's queue (on the embedded database, in fake time) and its confirm. Each
// answers a real local receiver; each must do what the row decides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_RULES, isRedirect, ruleFor, type AnswerRule, type Decision } from '../../../src/contract/answers.ts';
import { retryDelay } from '../../../src/contract/retry-schedule.ts';
import { startAnsweringReceiver, type Answering, type AnsweringReceiver } from '../../support/answering-receiver.ts';
import {
  confirmInBrowser,
  confirmOnServer,
  runBrowserQueue,
  runServerQueue,
  type Run,
} from '../../support/deliverer-runs.ts';
import { useEmbeddedDatabase } from '../../support/embedded-database.ts';

const embedded = useEmbeddedDatabase('relay-delivery-table-');
// One receiver for the worker's deliverers, one for the server's: each pair runs side by side, and
// each side counts only its own tries.
let browserReceiver: AnsweringReceiver;
let serverReceiver: AnsweringReceiver;
beforeAll(async () => {
  [browserReceiver, serverReceiver] = await Promise.all([startAnsweringReceiver(), startAnsweringReceiver()]);
});
afterAll(() => Promise.all([browserReceiver.close(), serverReceiver.close()]));

/** Tries a deliverer gets per row: more than any refusal is tried. */
const MAX_TRIES = 6;
/** Every status comes with this Retry-After: where another try follows, it sets when. */
const RETRY_AFTER_S = 120;
const CONFIRM_MS = 1000;

/** The statuses a row is checked with: its first and last, and two common redirects; those it decides. */
function samples(rule: AnswerRule): (number | 'timeout' | 'network')[] {
  if ('unanswered' in rule.match) return [rule.match.unanswered];
  const { from, to } = rule.match;
  return [...new Set([from, ...(isRedirect(from) ? [302, 307] : []), to])].filter(
    (status) => ruleFor({ status }) === rule,
  );
}

function answering(sample: number | 'timeout' | 'network'): Answering {
  if (sample === 'timeout') return 'hang';
  if (sample === 'network') return 'reset';
  return {
    status: sample,
    headers: { 'retry-after': String(RETRY_AFTER_S), ...(isRedirect(sample) ? { location: '/elsewhere' } : {}) },
  };
}

/** What the row's decision means for a queued event. */
function expectedRun(decision: Decision, sample: number | string): Partial<Run> {
  const pause = typeof sample === 'number' ? RETRY_AFTER_S * 1000 : retryDelay(1, () => 0);
  if (decision === 'delivered') return { tries: 1, end: 'delivered', firstPauseMs: null };
  if (decision === 'gone') return { tries: 1, end: 'stopped', firstPauseMs: null };
  if (decision === 'retry') return { tries: MAX_TRIES, end: 'waiting', firstPauseMs: pause };
  return { end: 'given up', firstPauseMs: pause };
}

const WHAT: Record<Decision, string> = {
  delivered: 'count it delivered at once',
  retry: 'keep it and try again on the retry schedule, Retry-After honoured',
  refused: 'try it a few more times, then give it up',
  gone: 'stop sending to that receiver',
};

const IN_CONFIRM: Record<Decision, string> = {
  delivered: 'answer that the hold was carried out',
  retry: 'try again quickly until the deadline, then answer the failure',
  refused: 'answer the failure at once',
  gone: 'answer the failure at once',
};

/** [answer, status or no-answer, what the decision does, the decision]: the strings name each test. */
const cases = (what: Record<Decision, string>) =>
  ANSWER_RULES.flatMap((rule) =>
    samples(rule).map(
      (sample) => [rule.answer, String(sample), what[rule.decision], { sample, decision: rule.decision }] as const,
    ),
  );

describe('the delivery table', () => {
  it('names each row with at least one answer it decides', () => {
    expect(ANSWER_RULES.filter((rule) => samples(rule).length === 0)).toEqual([]);
  });

  it.each(cases(WHAT))(
    "answered %s (%s), the worker's outbox and the server's queue both %s",
    async (_answer, _sample, _what, { sample, decision }) => {
      browserReceiver.answering = serverReceiver.answering = answering(sample);
      const expected = expectedRun(decision, sample);
      const [browser, server] = await Promise.all([
        runBrowserQueue(browserReceiver, MAX_TRIES),
        runServerQueue(embedded.db, serverReceiver, MAX_TRIES),
      ]);
      expect({ browser, server }).toMatchObject({ browser: expected, server: expected });
      if (decision === 'refused') for (const run of [browser, server]) expect(run.tries).toBeGreaterThan(1);
      if (decision === 'refused') for (const run of [browser, server]) expect(run.tries).toBeLessThan(MAX_TRIES);
      expect(browserReceiver.followed + serverReceiver.followed).toBe(0);
    },
    60_000,
  );

  it.each(cases(IN_CONFIRM))(
    "answered %s (%s), the worker's and the server's confirm both %s",
    async (_answer, _sample, _what, { sample, decision }) => {
      browserReceiver.answering = serverReceiver.answering = answering(sample);
      // Each waits out the deadline where the row says retry: side by side, the pair takes one deadline.
      const [browser, server] = await Promise.all([
        confirmInBrowser(browserReceiver, CONFIRM_MS),
        confirmOnServer(serverReceiver, CONFIRM_MS),
      ]);
      for (const run of [browser, server]) {
        expect(run.ok).toBe(decision === 'delivered');
        if (decision !== 'retry') expect(run.tries).toBe(1);
        else expect(run.tries).toBeGreaterThanOrEqual(sample === 'timeout' ? 1 : 2);
      }
      expect(browserReceiver.followed + serverReceiver.followed).toBe(0);
    },
    30_000,
  );
});
