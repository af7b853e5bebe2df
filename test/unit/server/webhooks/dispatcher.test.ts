// @vitest-environment node
// The dispatcher in fake time, on the embedded database: with nothing due it sleeps until the next
// row comes due, making no query meanwhile; a wake runs a pass at once; failures reach the log as
// one line per webhook a minute, with receivers named by origin and path.
import { afterEach, describe, expect, it } from 'vitest';
import type { Queryable } from '../../../../src/server/db/index.ts';
import { startDispatcher, type Dispatcher } from '../../../../src/server/webhooks/dispatcher.ts';
import { setMaxPending } from '../../../../src/server/webhooks/queue-sizes.ts';
import { createWebhook } from '../../../../src/server/webhooks/store.ts';
import { useEmbeddedDatabase } from '../../../support/embedded-database.ts';
import { fakeClock, type FakeClock } from '../../../support/fake-clock.ts';
import { startReceiver, type Receiver } from '../../../support/webhook-receiver.ts';

const embedded = useEmbeddedDatabase('relay-dispatcher-');
const PORTAL = 'acme.bitrix24.com';
const open: { dispatcher?: Dispatcher; receiver?: Receiver } = {};
afterEach(async () => {
  await open.dispatcher?.close();
  await open.receiver?.close();
  await embedded.db.exec('DELETE FROM webhooks');
});

/** The database, counting the statements run through it. */
function counted(db: Queryable): Queryable & { count: number } {
  const wrapper = {
    count: 0,
    query<Row>(sql: string, params?: readonly unknown[]) {
      wrapper.count++;
      return db.query<Row>(sql, params);
    },
    exec: (sql: string) => db.exec(sql),
  };
  return wrapper;
}

async function webhookTo(url: string): Promise<string> {
  const created = await createWebhook(embedded.db, PORTAL, 1, {
    url,
    on: ['hold.started'],
    confirm: false,
    timeoutMs: 3000,
    maxAgeMs: 86_400_000,
  });
  if (!created.ok) throw new Error(created.error);
  return created.id;
}

/** Queues one event per call for `webhook`, due `inMs` from the database's now. */
async function queue(webhook: string, calls: string[], inMs = 0): Promise<void> {
  await embedded.db.query(
    `INSERT INTO webhook_deliveries (webhook_id, user_id, event_id, event_type, call_key, occurred_at, body, next_attempt_at)
     SELECT $1, 7, 'evt_' || c, 'hold.started', c, now() - interval '1 minute', '{"id":"evt_' || c || '"}', now() + make_interval(secs => $3::float8 / 1000)
     FROM unnest($2::text[]) AS c`,
    [webhook, calls, inMs],
  );
}

function start(db: Queryable, clock: FakeClock, warn: (line: string) => void = () => undefined): Dispatcher {
  open.dispatcher = startDispatcher({
    db,
    allowPrivate: true,
    warn,
    clock,
    random: () => 1,
    maxIdleMs: 30_000,
    minPauseMs: 250,
  });
  return open.dispatcher;
}

describe('the dispatcher with nothing to send', () => {
  it('sleeps until the next row comes due and makes no query before then', async () => {
    const webhook = await webhookTo('https://pbx.example.com/hook');
    await queue(webhook, ['a'], 20_000);
    const clock = fakeClock(Date.now());
    const db = counted(embedded.db);
    start(db, clock);
    await expect.poll(() => clock.waiting()).toHaveLength(1);
    const [sleep] = clock.waiting();
    expect(sleep).toBeGreaterThan(15_000);
    expect(sleep).toBeLessThanOrEqual(20_000);
    const queries = db.count;
    clock.advance((sleep ?? 0) - 1);
    expect(db.count).toBe(queries);
    expect(clock.waiting()).toHaveLength(1);
    clock.advance(1);
    await expect.poll(() => db.count).toBeGreaterThan(queries);
  });

  it('sleeps at most maxIdleMs with an empty queue, and a wake runs a pass at once', async () => {
    const clock = fakeClock(Date.now());
    const db = counted(embedded.db);
    const dispatcher = start(db, clock);
    await expect.poll(() => clock.waiting()).toEqual([30_000]);
    const queries = db.count;
    clock.advance(29_999);
    expect(db.count).toBe(queries);
    dispatcher.wake();
    await expect.poll(() => db.count).toBeGreaterThan(queries);
    await expect.poll(() => clock.waiting()).toEqual([30_000]);
  });

  it("does not count a row that waits behind its call's failing head as due", async () => {
    const receiver = await startReceiver();
    open.receiver = receiver;
    receiver.status = 503;
    const webhook = await webhookTo(receiver.url);
    await queue(webhook, ['a']);
    await embedded.db.query(
      `INSERT INTO webhook_deliveries (webhook_id, user_id, event_id, event_type, call_key, occurred_at, body)
       SELECT $1, 7, 'evt_a_' || n, 'hold.started', 'a', now() - interval '1 minute' + make_interval(secs => n), '{}' FROM generate_series(1, 50) AS n`,
      [webhook],
    );
    const clock = fakeClock(Date.now());
    start(embedded.db, clock);
    await expect.poll(() => receiver.sink.attempts.length).toBe(1);
    // The head failed: its next try is 1 s away (the first retry's pause), and nothing else is due.
    // (The other timer is the log's summary, a minute after the failure it wrote.)
    // While the head was being sent, nothing at all was due: the dispatcher slept its longest.
    await expect.poll(() => clock.waiting()[0]).toBeLessThanOrEqual(1000);
    const [sleep, summary] = clock.waiting();
    expect(sleep).toBeGreaterThan(500);
    expect(summary).toBe(60_000);
  });
});

describe("the dispatcher's log", () => {
  it('writes one line for 20 failed events of one webhook, then one summary a minute, naming the receiver without its query string', async () => {
    const receiver = await startReceiver();
    open.receiver = receiver;
    receiver.status = 503;
    const webhook = await webhookTo(`${receiver.url}?token=s3cret`);
    await queue(
      webhook,
      Array.from({ length: 20 }, (_, i) => `c${i}`),
    );
    const clock = fakeClock(Date.now());
    const lines: string[] = [];
    start(embedded.db, clock, (line) => lines.push(line));
    await expect.poll(() => receiver.sink.attempts.length).toBe(20);
    await expect.poll(() => clock.waiting().length).toBe(2); // the next pass, and the log's summary
    const named = `webhook ${webhook} (${receiver.url})`;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/: 1 attempt failed, the last: HTTP 503 \(event evt_c\d+\)$/);
    expect(lines[0]?.startsWith(`${named}: `)).toBe(true);
    clock.advance(60_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/: 19 attempts failed in the last minute, the last: HTTP 503 \(event evt_c\d+\)$/);
    expect(lines[1]?.startsWith(`${named}: `)).toBe(true);
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it('says once a minute per webhook that its queue is full and new deliveries are not queued', async () => {
    await setMaxPending(embedded.db, 3);
    try {
      const receiver = await startReceiver();
      open.receiver = receiver;
      receiver.status = 503;
      const webhook = await webhookTo(receiver.url);
      await queue(webhook, ['a', 'b', 'c', 'd', 'e']);
      const clock = fakeClock(Date.now());
      const lines: string[] = [];
      const dispatcher = start(embedded.db, clock, (line) => lines.push(line));
      const full = () => lines.filter((line) => line.includes('the queue is full'));
      await expect
        .poll(full)
        .toEqual([
          `webhook ${webhook} (${receiver.url}): the queue is full (3 pending, at most 3: WEBHOOKS_MAX_PENDING); new deliveries are not queued until the receiver catches up (2 not queued so far)`,
        ]);
      await expect.poll(() => receiver.sink.attempts.length).toBe(3);
      await expect.poll(() => clock.waiting().length).toBe(2); // the next pass, and the log's summary
      await queue(webhook, ['f']);
      clock.advance(5_001); // the retries come due, and the next look at full queues
      await expect.poll(() => receiver.sink.attempts.length).toBe(6);
      await expect.poll(() => clock.waiting().length).toBe(2);
      expect(full()).toHaveLength(1);
      clock.advance(60_000);
      await queue(webhook, ['g']);
      dispatcher.wake();
      await expect.poll(() => full().length).toBe(2);
      expect(full()[1]).toContain('(4 not queued so far)');
    } finally {
      await setMaxPending(embedded.db, 10_000);
    }
  });
});
