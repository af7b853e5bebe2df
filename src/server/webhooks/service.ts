// Server-side webhooks as the server runs them: the dispatcher over the queue, and what the API
// calls after events are stored. Started with the statistics (they share the database).
import type { Queryable } from '../db/index.ts';
import { confirmEvent, type Confirmation } from './confirm.ts';
import { startDispatcher, type DispatcherOptions } from './dispatcher.ts';

export interface Webhooks {
  readonly db: Queryable;
  /** Whether receivers on private and loopback addresses are allowed (WEBHOOKS_ALLOW_PRIVATE=1). */
  readonly allowPrivate: boolean;
  /** Sends the user's stored hold change to the portal's confirming webhooks now; resolves within `timeoutMs` and a little. */
  confirm(portal: string, userId: number, eventId: string, timeoutMs: number): Promise<Confirmation>;
  /** A row was queued or set to go again (ingest queues new events itself): send it now rather than at the next poll. */
  wake(): void;
  close(): Promise<void>;
}

export type WebhooksOptions = Omit<DispatcherOptions, 'db'>;

export function startWebhooks(db: Queryable, options: WebhooksOptions): Webhooks {
  const dispatcher = startDispatcher({ db, ...options });
  return {
    db,
    allowPrivate: options.allowPrivate,
    confirm: (portal, userId, eventId, timeoutMs) =>
      confirmEvent(db, portal, userId, eventId, { timeoutMs, allowPrivate: options.allowPrivate }),
    wake: dispatcher.wake,
    close: dispatcher.close,
  };
}
