// Sends what the queue holds: a pass claims due heads (at most `concurrency` in flight), sends each,
// records the answer and the next try. A pass runs when events are queued here, when a send
// finishes (the call's next event may go now), and when the next row comes due; with nothing due it
// sleeps, at most `maxIdleMs` (rows queued by another instance, or left by one that died).
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Queryable } from '../db/index.ts';
import { REFUSED_PAUSES_MS, refusedPause, retryDelay } from '../../contract/retry-schedule.ts';
import { webhookIdOf } from './delivery-body.ts';
import { realClock, type Clock } from '../clock.ts';
import { createDeliveryLog, type DeliveryLog } from './delivery-log.ts';
import {
  claimDue,
  expireOld,
  nextDueInMs,
  pruneFinished,
  recordAttempt,
  releaseClaims,
  type Claimed,
  type Outcome,
  type QueueNow,
} from './queue.ts';
import { maxPending, recentlyCapped } from './queue-sizes.ts';
import { webhookHeaders } from './secret.ts';
import { sendWebhook, type SendResult } from './send.ts';
import { stopWebhook, targetsById, type WebhookTarget } from './store.ts';

export interface DispatcherOptions {
  db: Queryable;
  allowPrivate: boolean;
  warn: (line: string) => void;
  /** Requests in flight at once, all receivers together; default 16. */
  concurrency?: number;
  /** The longest the dispatcher sleeps with nothing due; default 30 s. */
  maxIdleMs?: number;
  /** The shortest pause between passes when a row is due that a pass could not take (another instance holds it); default 250 ms. */
  minPauseMs?: number;
  /** One attempt's deadline; default 10 s. */
  requestTimeoutMs?: number;
  random?: () => number;
  /** Timers and now; the real ones by default. */
  clock?: Clock;
}

export interface Dispatcher {
  /** Runs a pass soon: events were queued, or a row was set to go again. */
  wake(): void;
  /** Stops claiming, lets sends in flight finish for a moment, gives the rest back to the queue. */
  close(): Promise<void>;
}

/** A refusal (see the contract's answers: a redirect, most 4xx; here also a refused address) is tried this often, quickly, then given up. */
export const REFUSED_TRIES = REFUSED_PAUSES_MS.queue.length + 1;
/** A claim outlives any attempt: another instance takes a row over only after its holder died. */
export const LEASE_MS = 60_000;
const CLOSE_GRACE_MS = 2000;
const EXPIRE_EVERY_MS = 5000;
const CAPPED_EVERY_MS = 5000;
const PRUNE_EVERY_MS = 3600_000;
/** Finished rows and attempts kept for the log (and to recognise an event the worker sends again). */
export const KEEP_FINISHED_MS = 8 * 24 * 3600_000;

/** What the queue does with a row after one attempt that made `attempts` in all. */
export function outcomeOf(result: SendResult, attempts: number, random: () => number = Math.random): Outcome {
  const base = { httpStatus: result.status, error: result.error, answer: result.answer, durationMs: result.durationMs };
  if (result.kind === 'delivered') return { ...base, status: 'delivered', retryInMs: 0 };
  if (result.kind === 'gone') return { ...base, status: 'pending', retryInMs: 0 };
  if (result.kind === 'refused') {
    const pause = refusedPause(attempts, REFUSED_PAUSES_MS.queue, result.retryAfterMs);
    return pause === null
      ? { ...base, status: 'failed', retryInMs: 0 }
      : { ...base, status: 'pending', retryInMs: pause };
  }
  return { ...base, status: 'pending', retryInMs: retryDelay(attempts, random, result.retryAfterMs) };
}

export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, warn } = options;
  const clock = options.clock ?? realClock;
  const concurrency = options.concurrency ?? 16;
  const maxIdleMs = options.maxIdleMs ?? 30_000;
  const minPauseMs = options.minPauseMs ?? 250;
  const random = options.random ?? Math.random;
  const log: DeliveryLog = createDeliveryLog(warn, clock);
  // With the real clock the database's time rules (every instance agrees on it); a test's clock rules its own.
  const at = (): QueueNow => (options.clock ? new Date(clock.now()) : null);
  const token = randomBytes(12).toString('base64url');
  const abort = new AbortController();
  setMaxListeners(concurrency + 10, abort.signal); // one listener per request in flight
  const inflight = new Set<Promise<void>>();
  let cancelTimer: (() => void) | null = null;
  /** When the armed timer runs a pass (clock time), or Infinity when none is armed. */
  let timerAt = Infinity;
  /** A next try recorded while a pass was running, which that pass may have read too early. */
  let wantedBy = Infinity;
  /** Whether the last claim took as many rows as there were free slots: more may be due. */
  let full = false;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let expiredAt = -Infinity;
  let cappedAt = -Infinity;
  let prunedAt = clock.now();

  /** Resolves to the row's next try from now (ms) when it stays pending, else null (its call's next row may go now). */
  const deliver = async (row: Claimed, target: WebhookTarget | undefined): Promise<number | null> => {
    if (!target) return null; // deleted meanwhile: its rows went with it
    const result = await sendWebhook({
      url: target.url,
      headers: webhookHeaders(target.secrets, webhookIdOf(target.portal, row.userId, row.eventId), row.body),
      body: row.body,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
      allowPrivate: options.allowPrivate,
      signal: abort.signal,
    });
    if (closed && result.kind !== 'delivered') return null; // given back to the queue on close
    const attempts = row.attempts + 1;
    const outcome = outcomeOf(result, attempts, random);
    if (result.kind === 'gone') {
      await stopWebhook(db, target.id, `${result.error ?? 'HTTP 410'}: the receiver is gone`);
      log.notice(target, 'gone', 'answered 410 Gone; nothing more is sent to it until an admin sends a delivery again');
    } else if (outcome.status === 'failed') {
      log.gaveUp(
        target,
        row.eventId,
        `after ${attempts} tries, the last: ${result.error}${result.answer ? ` (answer: ${result.answer.slice(0, 200)})` : ''}`,
      );
    } else if (outcome.status === 'pending') {
      log.failed(target, row.eventId, result.error ?? 'not delivered');
    }
    if (!(await recordAttempt(db, row.id, token, outcome, at())))
      log.notice(
        target,
        'lease',
        `event ${row.eventId}: the claim expired or the row was deleted before the answer was recorded`,
      );
    return outcome.status === 'pending' && result.kind !== 'gone' ? outcome.retryInMs : null;
  };

  const upkeep = async (now: number): Promise<void> => {
    if (now - expiredAt > EXPIRE_EVERY_MS) {
      expiredAt = now;
      const expired = await expireOld(db, at());
      if (expired.length > 0) {
        const targets = await targetsById(db, [...new Set(expired.map((e) => e.webhookId))]);
        for (const { webhookId, eventId } of expired)
          log.gaveUp(
            targets.get(webhookId) ?? { id: webhookId, url: '' },
            eventId,
            "older than the webhook's maxAgeMs",
          );
      }
    }
    if (now - cappedAt > CAPPED_EVERY_MS) {
      // Since the last look (passes may be far apart when nothing is due), and a little more.
      const within = Math.max(CAPPED_EVERY_MS * 2, Number.isFinite(cappedAt) ? now - cappedAt + 1000 : 0);
      cappedAt = now;
      const capped = await recentlyCapped(db, within);
      const cap = capped.length > 0 ? await maxPending(db) : 0;
      for (const c of capped) {
        log.notice(
          { id: c.webhookId, url: c.url },
          'capped',
          `the queue is full (${c.pending} pending, at most ${cap}: WEBHOOKS_MAX_PENDING); new deliveries are not queued until the receiver catches up (${c.notQueued} not queued so far)`,
        );
      }
    }
    if (now - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = now;
      await pruneFinished(db, KEEP_FINISHED_MS);
    }
  };

  const pass = async (): Promise<void> => {
    await upkeep(clock.now());
    const limit = concurrency - inflight.size;
    const rows = await claimDue(db, limit, LEASE_MS, token, at());
    if (limit > 0) full = rows.length === limit;
    if (rows.length === 0) return;
    const targets = await targetsById(db, [...new Set(rows.map((r) => r.webhookId))]);
    for (const row of rows) {
      const sending: Promise<void> = deliver(row, targets.get(row.webhookId))
        .catch((error: unknown) => {
          warn(
            `webhooks: delivery of ${row.eventId} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          return null;
        })
        .then((retryInMs) => {
          inflight.delete(sending);
          // A row that stays pending holds its call back: nothing new may go, only its own next try is
          // due later (unless the last claim left due rows for want of slots). Otherwise the call's next
          // row may go now: a claim reads the due heads once half the slots are free, not once per send.
          if (retryInMs !== null && !full) wakeBy(clock.now() + retryInMs);
          else if (inflight.size <= concurrency / 2) wake();
        });
      inflight.add(sending);
    }
    if (full) again = true;
  };

  /** How long to sleep: until the next row comes due, not less than a pause, not more than maxIdleMs. */
  const sleepMs = async (): Promise<number> => {
    if (inflight.size >= concurrency) return maxIdleMs; // a finished send wakes it
    const due = await nextDueInMs(db, at());
    if (due === null) return maxIdleMs;
    return Math.min(maxIdleMs, Math.max(minPauseMs, due));
  };

  const run = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    cancelTimer?.();
    cancelTimer = null;
    timerAt = Infinity;
    wantedBy = Infinity;
    running = (async () => {
      do {
        again = false;
        await pass().catch((error: unknown) =>
          warn(`webhooks: the delivery pass failed: ${error instanceof Error ? error.message : String(error)}`),
        );
      } while (again && !closed && inflight.size < concurrency);
      const ms = await sleepMs().catch((error: unknown) => {
        warn(`webhooks: could not read the next due time: ${error instanceof Error ? error.message : String(error)}`);
        return maxIdleMs;
      });
      if (!closed && !again) arm(clock.now() + ms);
    })().finally(() => {
      running = null;
      // Woken while it was reading the next due time: run again now.
      if (again && !closed) wake();
      else if (wantedBy < timerAt && !closed) arm(wantedBy);
    });
  };
  const wake = (): void => void setImmediate(run);
  const arm = (at: number): void => {
    cancelTimer?.();
    timerAt = at;
    cancelTimer = clock.after(at - clock.now(), run);
  };
  /** Makes sure a pass runs by `at` (a pause apart from the next). */
  const wakeBy = (at: number): void => {
    if (closed) return;
    const by = Math.max(at, clock.now() + minPauseMs);
    if (running) wantedBy = Math.min(wantedBy, by);
    else if (by < timerAt) arm(by);
  };

  run();
  return {
    wake,
    async close() {
      closed = true;
      cancelTimer?.();
      await running;
      const settled = Promise.allSettled([...inflight]);
      await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
      abort.abort();
      await settled;
      log.flush();
      await releaseClaims(db, token).catch((error: unknown) =>
        warn(`webhooks: could not give claims back: ${String(error)}`),
      );
    },
  };
}
