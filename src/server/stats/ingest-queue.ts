// Group commit: batches that arrive while a transaction runs wait for the next one and share it,
// and the live views hear of the group's changes once, when it commits (hold_relay_apply notifies).
// The embedded database runs one statement at a time, so this, not more connections, is what lets
// ingest keep up with many operators; on a server it saves a commit per batch as well.
import type { Driver, Queryable } from '../db/index.ts';
import { ingestInto, type Batch, type FreshEvent, type IngestResult } from './ingest.ts';

/** Events one transaction takes at most; the rest wait for the next. */
export const MAX_GROUP_EVENTS = 2000;

/**
 * Work that must commit with the events or not at all (queueing them for webhooks), run in the
 * group's transaction with the events it stored for the first time; `done` runs after the commit.
 */
export interface AfterStore {
  (tx: Queryable, fresh: readonly FreshEvent[]): Promise<(() => void) | undefined>;
}

export interface IngestQueue {
  submit(batch: Batch): Promise<IngestResult>;
  /** Sets the work each group does after storing; one at a time. */
  afterStore(work: AfterStore | null): void;
  /** Batches waiting or being stored. */
  size(): number;
}

interface Waiting {
  batch: Batch;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

export function createIngestQueue(db: Driver): IngestQueue {
  const waiting: Waiting[] = [];
  let inFlight = 0;
  let running = false;
  let after: AfterStore | null = null;

  const take = (): Waiting[] => {
    let events = 0;
    let count = 0;
    while (count < waiting.length && (count === 0 || events + (waiting[count]?.batch.events.length ?? 0) <= MAX_GROUP_EVENTS)) {
      events += waiting[count]?.batch.events.length ?? 0;
      count++;
    }
    return waiting.splice(0, count);
  };

  const drain = async (): Promise<void> => {
    running = true;
    while (waiting.length > 0) {
      const group = take();
      inFlight = group.length;
      try {
        const { results, done } = await db.transaction(async (tx) => {
          const { results, fresh } = await ingestInto(tx, group.map((w) => w.batch));
          return { results, done: after && fresh.length > 0 ? await after(tx, fresh) : undefined };
        });
        done?.();
        group.forEach((w, i) => w.resolve(results[i] ?? { stored: 0, duplicates: 0, holdsChanged: false }));
      } catch (error) {
        for (const w of group) w.reject(error);
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
    size: () => waiting.length + inFlight,
    afterStore(work) {
      after = work;
    },
  };
}
