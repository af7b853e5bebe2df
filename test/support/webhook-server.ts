// The real server with statistics and server-side webhooks (private addresses allowed) beside the
// simulated portal, for a test file: receivers to deliver to and the admin calls that manage webhooks.
import { afterEach, expect } from 'vitest';
import type { ServerHooks } from '../../src/server/http/server.ts';
import type { StatsStack } from './stats-stack.ts';
import { useStatsStack } from './use-stats-stack.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';

export interface WebhookServer {
  readonly stack: StatsStack;
  /** A receiver closed after the test. */
  receiver(): Promise<Receiver>;
  /** Adds a webhook as the admin; expects 201. */
  create(body: Record<string, unknown>): Promise<{ id: string; secret: string }>;
  /** Posts events as the operator `userId` (default 7), as the worker does. */
  send(events: unknown[], userId?: number): Promise<Response>;
}

/** One server for the file; after each test its webhooks are deleted and its receivers closed. Call at the top of a file. */
export function useWebhookServer(hooks: ServerHooks = {}): WebhookServer {
  const stack = useStatsStack({ WEBHOOKS_ALLOW_PRIVATE: '1' }, { hooks });
  const receivers: Receiver[] = [];
  afterEach(async () => {
    const { webhooks } = (await (await stack.api('/api/webhooks')).json()) as { webhooks: { id: string }[] };
    for (const { id } of webhooks) await stack.api(`/api/webhooks/${id}`, { method: 'DELETE' });
    for (const receiver of receivers.splice(0)) await receiver.close();
  });
  return {
    stack,
    async receiver() {
      const receiver = await startReceiver();
      receivers.push(receiver);
      return receiver;
    },
    async create(body) {
      const res = await stack.api('/api/webhooks', { body });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; secret: string };
    },
    send: (events, userId = 7) => stack.api('/api/events', { token: stack.tokenFor(userId), body: { events } }),
  };
}
