// Runs each of the two deliverers, real code, against a real receiver for one event, up to a number
// of tries, and says what became of the event: for the delivery table test.
import { vi } from 'vitest';
import { createDeliverer } from '../../src/delivery/deliverer.ts';
import { memoryOutbox } from '../../src/delivery/outbox-store.ts';
import { postRequest, signRequest } from '../../src/delivery/webhook-request.ts';
import webhook from '../../src/outputs/webhook.ts';
import type { Queryable } from '../../src/server/db/index.ts';
import { sendWithin } from '../../src/server/webhooks/confirm.ts';
import { startDispatcher } from '../../src/server/webhooks/dispatcher.ts';
import { generateSecret } from '../../src/server/webhooks/secret.ts';
import { createWebhook } from '../../src/server/webhooks/store.ts';
import type { AnsweringReceiver } from './answering-receiver.ts';
import { fakeClock } from './fake-clock.ts';
import { createOutput, outputContext, recordingLogger, sampleEvent } from './fixtures.ts';

/** What became of one event. */
export interface Run {
  /** Requests the receiver got. */
  tries: number;
  end: 'delivered' | 'waiting' | 'given up' | 'stopped';
  /** The pause the deliverer set after the first try, when it kept the event. */
  firstPauseMs: number | null;
}

/** One attempt's deadline in these runs, so that a receiver that never answers costs little time. */
export const ATTEMPT_TIMEOUT_MS = 300;
const DAY_MS = 86_400_000;
const PORTAL = 'table.bitrix24.com';

/** The worker's outbox (createDeliverer with the webhook's request), in its own time: each try when it is due. */
export async function runBrowserQueue(receiver: AnsweringReceiver, maxTries: number): Promise<Run> {
  let now = Date.now();
  const store = memoryOutbox();
  const dropped: string[] = [];
  const before = receiver.tries;
  const deliverer = createDeliverer({
    receiver: 'table',
    config: 'table',
    label: 'browser',
    store,
    attempt: async (event) =>
      postRequest(receiver.url, await signRequest(event, null, null), ATTEMPT_TIMEOUT_MS, false),
    log: recordingLogger(),
    maxAgeMs: DAY_MS,
    maxEntries: 10,
    exclusive: (_name, task) => task(),
    now: () => now,
    random: () => 0,
    onDropped: (ids) => dropped.push(...ids),
  });
  let firstPauseMs: number | null = null;
  try {
    await deliverer.enqueue(sampleEvent('hold.started'));
    await deliverer.drain();
    for (;;) {
      const [entry] = await store.pending('table');
      if (!entry || (await store.stopped('table')) !== null) break;
      firstPauseMs ??= entry.nextAttemptAt - now;
      if (entry.attempts >= maxTries) break;
      now = entry.nextAttemptAt;
      await deliverer.drain();
    }
    const waiting = (await store.pending('table')).length > 0;
    const end =
      (await store.stopped('table')) !== null
        ? 'stopped'
        : dropped.length > 0
          ? 'given up'
          : waiting
            ? 'waiting'
            : 'delivered';
    return { tries: receiver.tries - before, end, firstPauseMs };
  } finally {
    deliverer.dispose();
  }
}

interface Row {
  status: string;
  attempts: number;
  pause: number | null;
  stopped: boolean;
}

/** The server's queue (the dispatcher on the embedded database) in fake time: each try when it is due. */
export async function runServerQueue(db: Queryable, receiver: AnsweringReceiver, maxTries: number): Promise<Run> {
  const created = await createWebhook(db, PORTAL, 1, {
    url: receiver.url,
    on: ['hold.started'],
    confirm: false,
    timeoutMs: 3000,
    maxAgeMs: DAY_MS,
  });
  if (!created.ok) throw new Error(created.error);
  await db.query(
    `INSERT INTO webhook_deliveries (webhook_id, user_id, event_id, event_type, call_key, occurred_at, body, next_attempt_at)
     VALUES ($1, 7, 'evt_table', 'hold.started', 'call', now() - interval '1 minute', '{"id":"evt_table"}', now())`,
    [created.id],
  );
  const read = async (): Promise<Row> => {
    const [row] = await db.query<Row>(
      `SELECT d.status, d.attempts, (EXTRACT(EPOCH FROM d.next_attempt_at - d.last_attempt_at) * 1000)::float8 AS pause, w.stopped_at IS NOT NULL AS stopped
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.webhook_id = $1`,
      [created.id],
    );
    if (!row) throw new Error('the delivery row is gone');
    return row;
  };
  const before = receiver.tries;
  // A minute ahead: the row, queued at the database's now, is due at once.
  const clock = fakeClock(Date.now() + 60_000);
  const dispatcher = startDispatcher({
    db,
    allowPrivate: true,
    warn: () => undefined,
    clock,
    random: () => 0,
    requestTimeoutMs: ATTEMPT_TIMEOUT_MS,
  });
  /** Moves time on to the dispatcher's next timer until `tries` are recorded; never while a try is in flight. */
  const afterTry = (tries: number): Promise<Row> =>
    vi.waitFor(
      async () => {
        const row = await read();
        if (row.attempts >= tries) return row;
        const next = clock.waiting()[0];
        if (receiver.tries - before === row.attempts && next !== undefined) clock.advance(next);
        throw new Error(`waiting for try ${tries}`);
      },
      { timeout: 15_000, interval: 20 },
    );
  try {
    let firstPauseMs: number | null = null;
    let row = await afterTry(1);
    for (let tries = 1; row.status === 'pending' && !row.stopped && tries < maxTries; tries++) {
      firstPauseMs ??= row.pause;
      row = await afterTry(tries + 1);
    }
    if (row.status === 'pending' && !row.stopped) firstPauseMs ??= row.pause;
    const end = row.stopped
      ? 'stopped'
      : row.status === 'failed'
        ? 'given up'
        : row.status === 'pending'
          ? 'waiting'
          : 'delivered';
    return { tries: receiver.tries - before, end, firstPauseMs };
  } finally {
    await dispatcher.close();
    await db.query('DELETE FROM webhooks WHERE id = $1', [created.id]);
  }
}

/** A confirm: did the receiver carry the hold out, and how many requests it took. */
export interface Confirmed {
  ok: boolean;
  tries: number;
}

/** The worker's confirming webhook, tried until `timeoutMs`. */
export async function confirmInBrowser(receiver: AnsweringReceiver, timeoutMs: number): Promise<Confirmed> {
  const before = receiver.tries;
  const output = createOutput(
    webhook,
    { type: 'webhook', url: receiver.url, confirm: true, timeoutMs },
    outputContext(),
  );
  const outcome = await output.send(sampleEvent('hold.started'));
  return { ok: outcome?.ok === true, tries: receiver.tries - before };
}

/** The server's confirm of one webhook (/api/confirm's request), tried until `timeoutMs`. */
export async function confirmOnServer(receiver: AnsweringReceiver, timeoutMs: number): Promise<Confirmed> {
  const before = receiver.tries;
  const target = {
    id: 'wh_table',
    portal: PORTAL,
    url: receiver.url,
    confirm: true,
    timeoutMs,
    secrets: [generateSecret()],
    stopped: false,
  };
  const result = await sendWithin(target, 'msg_table', '{}', timeoutMs, true);
  return { ok: result.kind === 'delivered', tries: receiver.tries - before };
}
