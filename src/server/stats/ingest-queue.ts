// Group commit: batches that arrive while a group is stored wait for the next one and share it, and
// the live views hear of the group's changes once, when it commits (hold_relay_ingest notifies).
// The embedded database runs one statement at a time, so this, not more connections, is what lets
// ingest keep up with many operators; on a server it saves a commit per batch as well (and storing
// two groups at once there was measured slower: they wait on each other's rows and share the CPU).
import type { Queryable } from '../db/index.ts';
import { ingestInto, type Batch, type IngestResult } from './ingest.ts';

/** Events one transaction takes at most; the rest wait for the next. */
export const MAX_GROUP_EVENTS = 2000;

export interface IngestQueue {
  submit(batch: Batch): Promise<IngestResult>;
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

export function createIngestQueue(db: Queryable): IngestQueue {
  const waiting: Waiting[] = [];
  let inFlight = 0;
  let running = false;
  let queuedListener: (() => void) | null = null;

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
        const { results, queued } = await ingestInto(db, group.map((w) => w.batch));
        if (queued > 0) queuedListener?.();
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
    onQueued(listener) {
      queuedListener = listener;
    },
  };
}
