// Server-side webhooks as the server runs them: the dispatcher over the queue, and what the API
// calls after events are stored. Started with the statistics (they share the database).
import type { Queryable } from '../db/index.ts';
import { confirmEvent, type Confirmation } from './confirm.ts';
import { startDispatcher, type DispatcherOptions } from './dispatcher.ts';
import type { AfterStore } from '../stats/ingest-queue.ts';
import { enqueueEvents, enqueueFresh } from './queue.ts';

export interface Webhooks {
  readonly db: Queryable;
  /** Whether receivers on private and loopback addresses are allowed (WEBHOOKS_ALLOW_PRIVATE=1). */
  readonly allowPrivate: boolean;
  /** Queues stored events for the portal's webhooks (idempotent) and starts sending them. */
  enqueue(portal: string, eventIds: readonly string[]): Promise<void>;
  /** Queues what ingest stores for the first time, in the same transaction (see IngestQueue.afterStore). */
  readonly queueStored: AfterStore;
  /** Sends a stored hold change to the portal's confirming webhooks now; resolves within `timeoutMs` and a little. */
  confirm(portal: string, eventId: string, timeoutMs: number): Promise<Confirmation>;
  /** A row was set to go again: send it now rather than at the next poll. */
  wake(): void;
  close(): Promise<void>;
}

export type WebhooksOptions = Omit<DispatcherOptions, 'db'>;

export function startWebhooks(db: Queryable, options: WebhooksOptions): Webhooks {
  const dispatcher = startDispatcher({ db, ...options });
  return {
    db,
    allowPrivate: options.allowPrivate,
    async enqueue(portal, eventIds) {
      if ((await enqueueEvents(db, portal, eventIds)) > 0) dispatcher.wake();
    },
    async queueStored(tx, fresh) {
      return (await enqueueFresh(tx, fresh)) > 0 ? dispatcher.wake : undefined;
    },
    confirm: (portal, eventId, timeoutMs) => confirmEvent(db, portal, eventId, { timeoutMs, allowPrivate: options.allowPrivate }),
    wake: dispatcher.wake,
    close: dispatcher.close,
  };
}
