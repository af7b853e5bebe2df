import { typeRank } from '../contract/event-order.ts';
import { REFUSED_PAUSES_MS, refusedPause, retryDelay } from '../contract/retry-schedule.ts';
import type { HoldEvent } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import { memoryOutbox, type OutboxEntry, type OutboxStore } from './outbox-store.ts';

/** What one attempt to deliver one event came to. */
export type AttemptResult =
  | { kind: 'delivered' }
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  /** What the contract calls refused (a redirect, most 4xx): tried a few more times within minutes, then dropped. */
  | { kind: 'refused'; reason: string; retryAfterMs: number | null }
  | { kind: 'gone'; reason: string };

export interface DelivererOptions {
  /** The queue (see receiverId): it names the portal, so frames of other portals never touch it or its lock. */
  receiver: string;
  /** Names the receiver's configuration: a 410 Gone stops delivery, in every frame, until this changes. */
  config?: string;
  label: string;
  store: OutboxStore;
  /** Delivers one event; required unless attemptBatch is given. */
  attempt?(event: HoldEvent): Promise<AttemptResult>;
  /**
   * When set, used instead of `attempt`: delivers up to batchSize due events in one request (several
   * of one call in order). Its answer stands for all of them: a failed batch is retried whole, with
   * the receiver's Retry-After honoured; a refused one is dropped whole after the refusal's tries.
   */
  attemptBatch?(events: HoldEvent[]): Promise<AttemptResult>;
  /** Events per batch with attemptBatch; default 50. */
  batchSize?: number;
  log: Logger;
  maxAgeMs: number;
  maxEntries: number;
  /** Where events wait once saving to `store` keeps failing; default a fresh memory outbox. */
  fallback?: () => OutboxStore;
  /** Told the ids of events dropped undelivered (expired, trimmed, refused, or their receiver gone). */
  onDropped?(ids: string[]): void;
  /** Told which events moved to the memory outbox when saving kept failing. */
  onMemory?(events: HoldEvent[]): void;
  /** Runs `task` while holding a lock shared by the portal's worker frames in this browser. */
  exclusive(name: string, task: () => Promise<void>): Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface Deliverer {
  /** Resolves once the event is saved in the outbox (or was already there); keeps it in memory meanwhile. */
  enqueue(event: HoldEvent): Promise<void>;
  /** False once the events live in this frame's memory only. */
  durable(): boolean;
  /** Delivers what is due now, then schedules the next try. */
  drain(): Promise<void>;
  dispose(): void;
}

/** How many events of one call (or batches) a pass delivers before it rereads the store. */
const PER_PASS = 50;
const DEFAULT_BATCH = 50;
/** Failed saves of one batch before the events move to a memory outbox. */
const SAVE_TRIES = 3;
/** How often delivered ids older than maxAgeMs are forgotten. */
const FORGET_EVERY_MS = 60_000;

/** Entries grouped by call, each call's in the order given, calls in the order of their first entry. */
function byCall(entries: OutboxEntry[]): OutboxEntry[][] {
  const calls = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const call = entry.event.data.callId ?? 'unknown';
    calls.set(call, [...(calls.get(call) ?? []), entry]);
  }
  return [...calls.values()];
}

/**
 * The next batch: each call's due events from its head on (a call whose head is not due sends
 * nothing), calls retrying a failed batch first so that it goes again whole, at most `size` in all;
 * in the order they happened.
 */
export function nextBatch(live: OutboxEntry[], now: number, size: number): OutboxEntry[] {
  const calls = byCall(live).sort((a, b) => Number((b[0]?.attempts ?? 0) > 0) - Number((a[0]?.attempts ?? 0) > 0));
  const batch: OutboxEntry[] = [];
  for (const queue of calls) {
    for (const entry of queue) {
      if (entry.nextAttemptAt > now || batch.length >= size) break;
      batch.push(entry);
    }
  }
  return batch.sort(byOccurrence);
}

/** Orders a call's events as they happened, whichever frame queued them. */
export function byOccurrence(a: OutboxEntry, b: OutboxEntry): number {
  return (
    a.event.timestamp.localeCompare(b.event.timestamp) ||
    (a.event.data.holdSeq ?? 0) - (b.event.data.holdSeq ?? 0) ||
    typeRank(a.event.type) - typeRank(b.event.type)
  );
}

/**
 * A durable, ordered, bounded queue for one receiver. Events of one call go out in order (a failed
 * one holds back the later ones of its call, not of other calls); failures wait 1 s, 2 s, 4 s … up to
 * 5 min; events older than maxAgeMs are dropped with an error; 410 Gone stops the receiver.
 */
export function createDeliverer(options: DelivererOptions): Deliverer {
  const { receiver, label, log } = options;
  if (!options.attempt && !options.attemptBatch) throw new Error(`${label}: a deliverer needs attempt or attemptBatch`);
  let store = options.store;
  const now = options.now ?? Date.now;
  const config = options.config ?? '';
  const lockName = `b24-hold-relay:deliver:${receiver}`;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let gone = false;
  let disposed = false;

  const schedule = (entries: OutboxEntry[]): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (disposed || gone || entries.length === 0) return;
    const next = Math.min(...entries.map((e) => e.nextAttemptAt));
    timer = setTimeout(() => void drain(), Math.max(0, next - now()));
  };

  // A pass delivers a bounded number per call, then rereads the store: a long backlog never keeps a
  // pass from seeing newer clicks, trimming, or another frame's work.
  const deliverCall = async (queue: OutboxEntry[]): Promise<OutboxEntry[]> => {
    // Removing a delivered entry overlaps the next attempt; the pass waits for all before it ends.
    const removals: Promise<void>[] = [];
    try {
      return await deliverQueue(queue, removals);
    } finally {
      await Promise.all(removals);
    }
  };

  type Settled = { kind: 'next' } | { kind: 'stop' } | { kind: 'wait'; retried: OutboxEntry[] };
  const names = (entries: OutboxEntry[]) => entries.map((e) => `${e.event.type} ${e.event.id}`).join(', ');
  const attemptOf = (entries: OutboxEntry[]): Promise<AttemptResult> => {
    const events = entries.map((e) => e.event);
    const attempt = options.attemptBatch
      ? options.attemptBatch(events)
      : (options.attempt as (event: HoldEvent) => Promise<AttemptResult>)(events[0] as HoldEvent);
    return attempt.catch((error: unknown) => ({ kind: 'retry', reason: String(error), retryAfterMs: null }) as const);
  };

  /** What one attempt's answer means for the entries it carried (one, or a whole batch). */
  const settle = async (entries: OutboxEntry[], result: AttemptResult, removals: Promise<void>[]): Promise<Settled> => {
    const keys = entries.map((e) => e.key);
    if (result.kind === 'delivered') {
      removals.push(
        store
          .remove(keys, now())
          .catch((error: unknown) => log.error(`${label}: could not mark ${names(entries)} delivered`, error)),
      );
      return { kind: 'next' };
    }
    if (result.kind === 'gone') {
      gone = true;
      log.error(
        `${label}: the receiver answered ${result.reason}; no more events go to it until the configuration of this webhook changes`,
      );
      await store.stop(receiver, config);
      return { kind: 'stop' };
    }
    const attempts = Math.max(...entries.map((e) => e.attempts)) + 1;
    const refused =
      result.kind === 'refused' ? refusedPause(attempts, REFUSED_PAUSES_MS.outbox, result.retryAfterMs) : undefined;
    if (refused === null) {
      removals.push(
        store
          .remove(keys, now())
          .catch((error: unknown) => log.error(`${label}: could not drop ${names(entries)}`, error)),
      );
      options.onDropped?.(entries.map((e) => e.event.id));
      log.error(
        `${label}: dropped ${names(entries)} after ${attempts} attempts: the receiver refused ${entries.length > 1 ? 'them' : 'it'} (${result.reason}); the later events of ${entries.length > 1 ? 'their calls' : 'its call'} go on`,
      );
      return { kind: 'next' };
    }
    const delay = refused ?? retryDelay(attempts, options.random, result.retryAfterMs);
    if (attempts === 1 || attempts % 5 === 0) {
      log.warn(
        `${label}: ${names(entries)} not delivered (${result.reason}); attempt ${attempts}, next in ${Math.round(delay / 1000)} s`,
      );
    }
    // A batch is retried whole: its entries share the next attempt's time.
    const retried = entries.map((e) => ({ ...e, attempts, nextAttemptAt: now() + delay, lastError: result.reason }));
    await store.put(retried);
    return { kind: 'wait', retried };
  };

  const deliverQueue = async (queue: OutboxEntry[], removals: Promise<void>[]): Promise<OutboxEntry[]> => {
    for (const [index, entry] of queue.entries()) {
      if (gone || disposed || index >= PER_PASS) return queue.slice(index);
      if (entry.nextAttemptAt > now()) return queue.slice(index);
      const settled = await settle([entry], await attemptOf([entry]), removals);
      if (settled.kind === 'stop') return [];
      if (settled.kind === 'wait') return [...settled.retried, ...queue.slice(index + 1)];
    }
    return [];
  };

  /** Batch mode: up to batchSize due events per attempt, each call's in order; a pass sends at most PER_PASS batches. */
  const deliverBatches = async (live: OutboxEntry[]): Promise<OutboxEntry[]> => {
    const removals: Promise<void>[] = [];
    try {
      for (let round = 0; round < PER_PASS && !gone && !disposed; round++) {
        const batch = nextBatch(live, now(), options.batchSize ?? DEFAULT_BATCH);
        if (batch.length === 0) break;
        const settled = await settle(batch, await attemptOf(batch), removals);
        if (settled.kind === 'stop') return [];
        const retried =
          settled.kind === 'wait' ? new Map(settled.retried.map((e) => [e.key, e])) : new Map<string, OutboxEntry>();
        live = live.flatMap((e) =>
          retried.has(e.key) ? [retried.get(e.key) as OutboxEntry] : batch.includes(e) ? [] : [e],
        );
        if (settled.kind === 'wait') break;
      }
      return live;
    } finally {
      await Promise.all(removals);
    }
  };

  let forgotAt = -Infinity;
  let checkedStop = false;
  const drainLocked = async (): Promise<void> => {
    if (!checkedStop && !gone) {
      gone = (await store.stopped(receiver)) === config;
      checkedStop = true;
      if (gone)
        log.error(
          `${label}: the receiver answered HTTP 410 Gone to an earlier frame; no more events go to it until the configuration of this webhook changes`,
        );
    }
    if (now() - forgotAt > FORGET_EVERY_MS) {
      forgotAt = now();
      await store.forgetSentBefore(now() - options.maxAgeMs);
    }
    const all = await store.pending(receiver);
    const expired = all.filter((e) => now() - Date.parse(e.event.timestamp) > options.maxAgeMs);
    if (expired.length > 0) {
      await store.remove(expired.map((e) => e.key));
      options.onDropped?.(expired.map((e) => e.event.id));
      log.error(
        `${label}: dropped ${expired.length} event(s) older than maxAgeMs (${options.maxAgeMs} ms), never delivered: ${expired.map((e) => e.event.id).join(', ')}`,
      );
    }
    if (gone) {
      await store.remove(all.map((e) => e.key));
      options.onDropped?.(all.map((e) => e.event.id));
      return;
    }
    const live = all.filter((e) => !expired.includes(e)).sort(byOccurrence);
    if (live.length > options.maxEntries) {
      const oldest = live.splice(0, live.length - options.maxEntries);
      await store.remove(oldest.map((e) => e.key));
      options.onDropped?.(oldest.map((e) => e.event.id));
      log.error(
        `${label}: outbox full (${options.maxEntries} events); dropped the oldest ${oldest.length}, never delivered: ${oldest.map((e) => e.event.id).join(', ')}`,
      );
    }
    const left = options.attemptBatch
      ? byCall(await deliverBatches(live))
      : await Promise.all(byCall(live).map(deliverCall));
    // A call's later events wait for its head: only the heads say when the next pass is due.
    schedule(left.flatMap((queue) => queue.slice(0, 1)));
  };

  // A pass that fails (storage or lock error) is tried again after a growing pause, whatever else happens.
  let failedPasses = 0;
  const passFailed = (error: unknown): void => {
    failedPasses++;
    const delay = retryDelay(failedPasses, options.random);
    if (failedPasses === 1 || failedPasses % 5 === 0) {
      log.error(`${label}: delivery pass failed (${errorText(error)}); next pass in ${Math.round(delay / 1000)} s`);
    }
    if (timer !== null) clearTimeout(timer);
    timer = disposed ? null : setTimeout(() => void drain(), delay);
  };

  // One drain at a time per frame; calls meanwhile ask for one more pass instead of queueing their own.
  let running: Promise<void> | null = null;
  let again = false;
  const drain = (): Promise<void> => {
    if (disposed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await options.exclusive(lockName, drainLocked);
          failedPasses = 0;
        } catch (error) {
          passFailed(error);
          return;
        }
      } while (again && !disposed);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  // Clicks that arrive while a batch is being stored wait for the next batch: one transaction in
  // flight per frame, however fast the clicks come.
  let incoming: OutboxEntry[] = [];
  let storing: Promise<void> | null = null;
  // A batch that cannot be saved (quota, a closed database) stays in memory and is tried again; when
  // saving keeps failing, this frame's events move to a memory outbox rather than being lost.
  let saveFailures = 0;
  const storeIncoming = async (): Promise<void> => {
    while (incoming.length > 0 && !disposed) {
      const batch = [...new Map(incoming.map((e) => [e.key, e])).values()];
      incoming = [];
      try {
        // Entries already queued (another frame saw the same click) or already delivered are skipped.
        await store.add(batch);
        saveFailures = 0;
      } catch (error) {
        incoming = [...batch, ...incoming];
        saveFailures++;
        if (saveFailures < SAVE_TRIES) {
          const delay = retryDelay(saveFailures, options.random);
          log.warn(
            `${label}: could not save ${batch.length} event(s) to the outbox (${errorText(error)}); keeping them in memory, next try in ${Math.round(delay / 1000)} s`,
          );
          await new Promise((resolve) => setTimeout(resolve, delay));
          continue;
        }
        const events = [...new Map(incoming.map((e) => [e.key, e.event])).values()];
        log.error(
          `${label}: the outbox could not save events ${saveFailures} times (${errorText(error)}); this frame keeps its events in memory from now on: ${events.map((e) => e.id).join(', ')}`,
        );
        store = (options.fallback ?? memoryOutbox)();
        saveFailures = 0;
        options.onMemory?.(events);
      }
    }
  };

  return {
    enqueue(event) {
      if (gone || disposed) return Promise.resolve();
      incoming.push({
        key: `${receiver}|${event.id}`,
        receiver,
        event,
        attempts: 0,
        nextAttemptAt: now(),
        lastError: null,
      });
      storing ??= storeIncoming().finally(() => {
        storing = null;
        void drain();
      });
      return storing;
    },
    durable: () => store.durable,
    drain,
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
