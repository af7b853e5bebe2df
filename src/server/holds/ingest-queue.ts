// Group commit: batches that arrive while a group is stored wait for the next one and share it, and
// the live views hear of the group's changes once, when it commits (hold_relay_ingest notifies).
// The embedded database runs one statement at a time, so this, not more connections, is what lets
// ingest keep up with many operators; on a server it saves a commit per batch as well (and storing
// two groups at once there was measured slower: they wait on each other's rows and share the CPU).
//
// A group is one statement, so one batch the database refuses fails the whole group: then each of
// its batches is stored again on its own, and only the one the database refuses fails, with a
// BadBatchError (a 4xx for its sender). A database that is down fails every batch as before.
import type { Queryable } from '../db/index.ts';
import { ingestInto, type Batch, type GroupOutcome, type IngestResult } from './ingest.ts';
import { createPortalQuota, DEFAULT_EVENTS_PER_PORTAL_DAY } from './quota.ts';

/** Events one transaction takes at most; the rest wait for the next. */
export const MAX_GROUP_EVENTS = 2000;

/** The database refused what a batch holds (not the database failing): its sender gets a 4xx. */
export class BadBatchError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the database refused this batch: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'BadBatchError';
  }
}

/**
 * Whether an error is PostgreSQL refusing the data (SQLSTATE class 22, data exception, such as a NUL
 * in a string) or a limit the data went past (class 54, such as nesting too deep), not the database
 * failing: the same batch would fail again.
 */
export function refusesData(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|54)/.test(code);
}

export interface IngestQueueOptions {
  /** Events a portal may store per UTC day (default DEFAULT_EVENTS_PER_PORTAL_DAY). */
  eventsPerPortalDay?: number;
  /** The server's clock (ms), for the quota's day. */
  now?: () => number;
}

export interface IngestQueue {
  submit(batch: Batch): Promise<IngestResult>;
  /** How long the portal must wait before its events are stored again (its daily quota is used up); 0: not at all. */
  quotaWaitMs(portal: string): number;
  /** Takes the daily counts a group stored outside the queue got back (/api/confirm). */
  noteQuota(used: GroupOutcome['used']): void;
  /** Called after a group that queued webhook deliveries (in its own statement) committed; one listener at a time. */
  onQueued(listener: (() => void) | null): void;
  /** Batches waiting or being stored. */
  size(): number;
}

interface Waiting {
  batch: Batch;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

export function createIngestQueue(db: Queryable, options: IngestQueueOptions = {}): IngestQueue {
  const now = options.now ?? Date.now;
  const quota = createPortalQuota(options.eventsPerPortalDay ?? DEFAULT_EVENTS_PER_PORTAL_DAY);
  const waiting: Waiting[] = [];
  let inFlight = 0;
  let running = false;
  let queuedListener: (() => void) | null = null;

  const take = (): Waiting[] => {
    let events = 0;
    let count = 0;
    while (
      count < waiting.length &&
      (count === 0 || events + (waiting[count]?.batch.events.length ?? 0) <= MAX_GROUP_EVENTS)
    ) {
      events += waiting[count]?.batch.events.length ?? 0;
      count++;
    }
    return waiting.splice(0, count);
  };

  const store = async (group: readonly Waiting[]): Promise<void> => {
    const at = now();
    const { results, queued, used } = await ingestInto(
      db,
      group.map((w) => w.batch),
      at,
    );
    quota.note(used, at);
    if (queued > 0) queuedListener?.();
    group.forEach((w, i) => w.resolve(results[i] ?? { stored: 0, duplicates: 0, holdsChanged: false }));
  };

  const drain = async (): Promise<void> => {
    running = true;
    while (waiting.length > 0) {
      const group = take();
      inFlight = group.length;
      try {
        await store(group);
      } catch (error) {
        if (!refusesData(error)) {
          for (const w of group) w.reject(error);
        } else if (group.length === 1) {
          group[0]?.reject(new BadBatchError(error));
        } else {
          // One batch at a time, so the one the database refuses fails alone.
          for (const w of group) {
            await store([w]).catch((alone: unknown) => w.reject(refusesData(alone) ? new BadBatchError(alone) : alone));
          }
        }
      }
      inFlight = 0;
    }
    running = false;
  };

  return {
    submit(batch) {
      return new Promise((resolve, reject) => {
        waiting.push({ batch, resolve, reject });
        if (!running) void drain();
      });
    },
    quotaWaitMs: (portal) => quota.waitMs(portal, now()),
    noteQuota: (used) => quota.note(used, now()),
    size: () => waiting.length + inFlight,
    onQueued(listener) {
      queuedListener = listener;
    },
  };
}
