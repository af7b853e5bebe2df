// Sends what the queue holds: a pass claims due rows (at most `concurrency` in flight), sends each,
// records the answer and the next try. A pass runs when events are queued here, when a send
// finishes (the call's next event may go now), and every `pollMs` (rows queued or retried by
// another instance, retries come due).
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Queryable } from '../db/index.ts';
import { retryDelay } from '../../delivery/retry-schedule.ts';
import { webhookIdOf } from './delivery-body.ts';
import { claimDue, expireOld, pruneFinished, recordAttempt, releaseClaims, type Claimed, type Outcome } from './queue.ts';
import { webhookHeaders } from './secret.ts';
import { sendWebhook, type SendResult } from './send.ts';
import { stopWebhook, targetsById, type WebhookTarget } from './store.ts';

export interface DispatcherOptions {
  db: Queryable;
  allowPrivate: boolean;
  warn: (line: string) => void;
  /** Requests in flight at once, all receivers together; default 16. */
  concurrency?: number;
  /** default 1000 ms. */
  pollMs?: number;
  /** One attempt's deadline; default 10 s. */
  requestTimeoutMs?: number;
  random?: () => number;
}

export interface Dispatcher {
  /** Runs a pass soon: events were queued, or a row was set to go again. */
  wake(): void;
  /** Stops claiming, lets sends in flight finish for a moment, gives the rest back to the queue. */
  close(): Promise<void>;
}

/** A permanent refusal (4xx other than 408, 409, 425, 429; a redirect; a refused address) is tried this often, quickly, then given up. */
export const PERMANENT_TRIES = 3;
/** A claim outlives any attempt: another instance takes a row over only after its holder died. */
export const LEASE_MS = 60_000;
const CLOSE_GRACE_MS = 2000;
const EXPIRE_EVERY_MS = 5000;
const PRUNE_EVERY_MS = 3600_000;
/** Finished rows and attempts kept for the log (and to recognise an event the worker sends again). */
export const KEEP_FINISHED_MS = 8 * 24 * 3600_000;

/** What the queue does with a row after one attempt that made `attempts` in all. */
export function outcomeOf(result: SendResult, attempts: number, random: () => number = Math.random): Outcome {
  const base = { httpStatus: result.status, error: result.error, answer: result.answer, durationMs: result.durationMs };
  if (result.kind === 'delivered') return { ...base, status: 'delivered', retryInMs: 0 };
  if (result.kind === 'gone') return { ...base, status: 'pending', retryInMs: 0 };
  if (result.kind === 'permanent') {
    return attempts >= PERMANENT_TRIES ? { ...base, status: 'failed', retryInMs: 0 } : { ...base, status: 'pending', retryInMs: retryDelay(attempts, random) };
  }
  return { ...base, status: 'pending', retryInMs: retryDelay(attempts, random, result.retryAfterMs) };
}

export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, warn } = options;
  const concurrency = options.concurrency ?? 16;
  const pollMs = options.pollMs ?? 1000;
  const random = options.random ?? Math.random;
  const token = randomBytes(12).toString('base64url');
  const abort = new AbortController();
  setMaxListeners(concurrency + 10, abort.signal); // one listener per request in flight
  const inflight = new Set<Promise<void>>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let expiredAt = -Infinity;
  let prunedAt = Date.now();

  const deliver = async (row: Claimed, target: WebhookTarget | undefined): Promise<void> => {
    if (!target) return; // deleted meanwhile: its rows went with it
    const result = await sendWebhook({
      url: target.url,
      headers: webhookHeaders(target.secrets, webhookIdOf(target.portal, row.userId, row.eventId), row.body),
      body: row.body,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
      allowPrivate: options.allowPrivate,
      signal: abort.signal,
    });
    if (closed && result.kind !== 'delivered') return; // given back to the queue on close
    const attempts = row.attempts + 1;
    const outcome = outcomeOf(result, attempts, random);
    const label = `webhook ${target.id} (${target.url})`;
    if (result.kind === 'gone') {
      await stopWebhook(db, target.id, `${result.error ?? 'HTTP 410'}: the receiver is gone`);
      warn(`${label}: answered 410 Gone; nothing more is sent to it until an admin sends a delivery again`);
    } else if (outcome.status === 'failed') {
      warn(`${label}: event ${row.eventId} given up after ${attempts} tries: ${result.error}${result.answer ? ` (answer: ${result.answer.slice(0, 200)})` : ''}`);
    } else if (outcome.status === 'pending' && (attempts === 1 || attempts % 5 === 0)) {
      warn(`${label}: event ${row.eventId} not delivered (${result.error}); attempt ${attempts}, next in ${Math.round(outcome.retryInMs / 1000)} s`);
    }
    if (!(await recordAttempt(db, row.id, token, outcome))) warn(`${label}: event ${row.eventId}: the claim expired before the answer was recorded`);
  };

  const pass = async (): Promise<void> => {
    const now = Date.now();
    if (now - expiredAt > EXPIRE_EVERY_MS) {
      expiredAt = now;
      const expired = await expireOld(db);
      if (expired.length > 0) warn(`webhooks: gave up ${expired.length} event(s) older than their webhook's maxAgeMs: ${expired.map((e) => `${e.webhookId}/${e.eventId}`).join(', ')}`);
    }
    if (now - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = now;
      await pruneFinished(db, KEEP_FINISHED_MS);
    }
    const limit = concurrency - inflight.size;
    const rows = await claimDue(db, limit, LEASE_MS, token);
    if (rows.length === 0) return;
    const targets = await targetsById(db, [...new Set(rows.map((r) => r.webhookId))]);
    for (const row of rows) {
      const sending: Promise<void> = deliver(row, targets.get(row.webhookId))
        .catch((error: unknown) => warn(`webhooks: delivery of ${row.eventId} failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          inflight.delete(sending);
          // A claim reads every pending row: it runs once half the slots are free, not once per finished send.
          if (inflight.size <= concurrency / 2) wake();
        });
      inflight.add(sending);
    }
    if (rows.length === limit) again = true;
  };

  const run = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    running = (async () => {
      do {
        again = false;
        await pass().catch((error: unknown) => warn(`webhooks: the delivery pass failed: ${error instanceof Error ? error.message : String(error)}`));
      } while (again && !closed && inflight.size < concurrency);
    })().finally(() => {
      running = null;
      if (!closed) {
        timer = setTimeout(run, pollMs);
        timer.unref();
      }
    });
  };
  const wake = (): void => void setImmediate(run);

  run();
  return {
    wake,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
      const settled = Promise.allSettled([...inflight]);
      await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
      abort.abort();
      await settled;
      await releaseClaims(db, token).catch((error: unknown) => warn(`webhooks: could not give claims back: ${String(error)}`));
    },
  };
}
