// The real server with statistics and server-side webhooks (private addresses allowed) beside the
// simulated portal, for a test file: receivers to deliver to and the admin calls that manage webhooks.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ServerHooks } from '../../src/server/http/server.ts';
import { startStatsStack, type StatsStack } from './stats-stack.ts';
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
  let stack: StatsStack | undefined;
  const receivers: Receiver[] = [];
  const running = (): StatsStack => {
    if (!stack) throw new Error('no server yet: use it inside a test');
    return stack;
  };
  beforeAll(async () => {
    stack = await startStatsStack({ WEBHOOKS_ALLOW_PRIVATE: '1' }, { hooks });
  }, 120_000);
  afterEach(async () => {
    const { webhooks } = (await (await running().api('/api/webhooks')).json()) as { webhooks: { id: string }[] };
    for (const { id } of webhooks) await running().api(`/api/webhooks/${id}`, { method: 'DELETE' });
    for (const receiver of receivers.splice(0)) await receiver.close();
  });
  afterAll(() => stack?.close());
  return {
    get stack() {
      return running();
    },
    async receiver() {
      const receiver = await startReceiver();
      receivers.push(receiver);
      return receiver;
    },
    async create(body) {
      const res = await running().api('/api/webhooks', { body });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; secret: string };
    },
    send: (events, userId = 7) => running().api('/api/events', { token: running().tokenFor(userId), body: { events } }),
  };
}
