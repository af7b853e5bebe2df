// The webhook queue's rules on every database: a claim reads only the heads of the call chains, the
// heads follow every change, the next due time counts only rows a claim could take, and a webhook's
// queue holds at most its cap.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Driver, Queryable } from '../../src/server/db/index.ts';
import {
  claimDue,
  expireOld,
  nextDueInMs,
  recordAttempt,
  releaseClaims,
  retryDelivery,
  type Outcome,
} from '../../src/server/webhooks/queue.ts';
import { setMaxPending } from '../../src/server/webhooks/queue-sizes.ts';
import { createWebhook, listWebhooks, stopWebhook } from '../../src/server/webhooks/store.ts';

const PORTAL = 'acme.bitrix24.com';
const settings = {
  url: 'https://pbx.example.com/hook',
  on: ['hold.started' as const],
  confirm: false,
  timeoutMs: 3000,
  maxAgeMs: 86_400_000,
};
const retryIn = (ms: number): Outcome => ({
  status: 'pending',
  retryInMs: ms,
  httpStatus: 503,
  error: 'HTTP 503',
  answer: null,
  durationMs: 1,
});
const delivered: Outcome = {
  status: 'delivered',
  retryInMs: 0,
  httpStatus: 200,
  error: null,
  answer: null,
  durationMs: 1,
};

/** Queues `rows` deliveries for `webhook` in one statement: [call, second it happened, counted from an hour ago]. */
async function queue(db: Queryable, webhook: string, rows: [string, number][]): Promise<void> {
  await db.query(
    `INSERT INTO webhook_deliveries (webhook_id, user_id, event_id, event_type, call_key, occurred_at, body)
     SELECT $1, 7, 'evt_' || c || '_' || m, 'hold.started', c, now() - interval '1 hour' + make_interval(secs => m), '{}'
     FROM unnest($2::text[], $3::int[]) AS r(c, m)`,
    [webhook, rows.map((r) => r[0]), rows.map((r) => r[1])],
  );
}

/** The event ids of the marked heads, and of the rows that are really first of their call. */
async function heads(db: Queryable): Promise<{ marked: string[]; first: string[] }> {
  const marked = await db.query<{ event_id: string }>(
    `SELECT event_id FROM webhook_deliveries WHERE status = 'pending' AND is_head ORDER BY event_id`,
  );
  const first = await db.query<{ event_id: string }>(
    `SELECT DISTINCT ON (webhook_id, call_key) event_id FROM webhook_deliveries WHERE status = 'pending'
     ORDER BY webhook_id, call_key, occurred_at, hold_seq, type_rank, id`,
  );
  return { marked: marked.map((r) => r.event_id), first: first.map((r) => r.event_id).sort() };
}

type PlanNode = {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
};

/** How many rows of webhook_deliveries a statement reads (returned or filtered out), from its plan; the statement is rolled back. */
async function rowsRead(db: Driver, run: (q: Queryable) => Promise<unknown>): Promise<number> {
  let read = 0;
  const walk = (node: PlanNode): void => {
    if (node['Relation Name'] === 'webhook_deliveries')
      read += ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1);
    for (const child of node.Plans ?? []) walk(child);
  };
  await db
    .transaction(async (tx) => {
      const explaining: Queryable = {
        exec: (sql) => tx.exec(sql),
        async query<Row>(sql: string, params?: readonly unknown[]) {
          const [row] = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
          const plan = row?.['QUERY PLAN'];
          const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: PlanNode }[];
          walk(parsed[0]?.Plan ?? {});
          return [] as Row[];
        },
      };
      await run(explaining);
      throw new Error('rolled back');
    })
    .catch((error: unknown) => {
      if (!(error instanceof Error) || error.message !== 'rolled back') throw error;
    });
  return read;
}

/** `openAnother`: a second connection to the same database, so writers really run at once (PostgreSQL). */
export function testWebhookQueue(name: string, open: () => Promise<Driver>, openAnother?: () => Promise<Driver>): void {
  describe(`webhook queue: ${name}`, () => {
    let db: Driver;
    let webhook: string;
    beforeAll(async () => {
      db = await open();
    }, 120_000);
    afterAll(() => db?.close());
    beforeEach(async () => {
      await db.exec('DELETE FROM webhooks');
      await setMaxPending(db, 10_000);
      const created = await createWebhook(db, PORTAL, 1, settings);
      if (!created.ok) throw new Error(created.error);
      webhook = created.id;
    });

    it('claims only the head of each call, and reads none of the rows waiting behind a failing head', async () => {
      // 3 calls of 1000 events; the heads fail and come due again in a minute.
      await queue(
        db,
        webhook,
        ['a', 'b', 'c'].flatMap((call) => Array.from({ length: 1000 }, (_, m) => [call, m] as [string, number])),
      );
      await db.exec('ANALYZE webhook_deliveries');
      const claimed = await claimDue(db, 16, 60_000, 't1');
      expect(claimed.map((c) => c.eventId).sort()).toEqual(['evt_a_0', 'evt_b_0', 'evt_c_0']);
      for (const row of claimed) expect(await recordAttempt(db, row.id, 't1', retryIn(60_000))).toBe(true);
      expect(await claimDue(db, 16, 60_000, 't2')).toEqual([]);
      // Every row behind the heads is due (queued an hour ago); a claim must not read them.
      expect(await rowsRead(db, (q) => claimDue(q, 16, 60_000, 't3'))).toBeLessThan(10);
    });

    it('keeps the mark on the first pending row of each call through every change', async () => {
      await queue(db, webhook, [
        ['a', 30],
        ['b', 30],
      ]);
      await queue(db, webhook, [
        ['a', 40],
        ['a', 20],
        ['b', 10],
      ]); // earlier ones arrive later
      expect(await heads(db)).toEqual({ marked: ['evt_a_20', 'evt_b_10'], first: ['evt_a_20', 'evt_b_10'] });
      const [a20, b10] = (await claimDue(db, 16, 60_000, 't')).sort((x, y) => x.eventId.localeCompare(y.eventId));
      expect(await recordAttempt(db, a20?.id ?? '', 't', delivered)).toBe(true);
      expect(await recordAttempt(db, b10?.id ?? '', 't', retryIn(1000))).toBe(true);
      expect(await heads(db)).toEqual({ marked: ['evt_a_30', 'evt_b_10'], first: ['evt_a_30', 'evt_b_10'] });
      // "Send again" puts a delivered row back first in its call.
      expect(await retryDelivery(db, PORTAL, webhook, a20?.id ?? '')).toBe(true);
      expect(await heads(db)).toEqual({ marked: ['evt_a_20', 'evt_b_10'], first: ['evt_a_20', 'evt_b_10'] });
      // Given up (older than maxAgeMs) and deleted rows hand the mark on too.
      await db.query(
        `UPDATE webhook_deliveries SET occurred_at = now() - interval '2 days' WHERE event_id IN ('evt_a_20', 'evt_a_30')`,
      );
      expect((await expireOld(db)).map((r) => r.eventId).sort()).toEqual(['evt_a_20', 'evt_a_30']);
      await db.query(`DELETE FROM webhook_deliveries WHERE event_id = 'evt_b_10'`);
      expect(await heads(db)).toEqual({ marked: ['evt_a_40', 'evt_b_30'], first: ['evt_a_40', 'evt_b_30'] });
    });

    it('says when the next row a claim could take comes due, counting no row behind a head and no stopped webhook', async () => {
      expect(await nextDueInMs(db)).toBeNull();
      await queue(db, webhook, [
        ['a', 10],
        ['a', 20],
      ]);
      expect(await nextDueInMs(db)).toBe(0);
      const [head] = await claimDue(db, 16, 60_000, 't');
      expect(await nextDueInMs(db)).toBeNull(); // the head is being sent; the row behind it waits
      expect(await recordAttempt(db, head?.id ?? '', 't', retryIn(30_000))).toBe(true);
      expect(await nextDueInMs(db)).toBeGreaterThan(25_000);
      expect(await nextDueInMs(db)).toBeLessThanOrEqual(30_000);
      await stopWebhook(db, webhook, 'HTTP 410');
      expect(await nextDueInMs(db)).toBeNull();
    });

    it('queues at most the cap per webhook and counts what it did not queue, first come first kept', async () => {
      await setMaxPending(db, 5);
      const other = await createWebhook(db, PORTAL, 1, settings);
      if (!other.ok) throw new Error(other.error);
      await queue(
        db,
        webhook,
        Array.from({ length: 4 }, (_, m) => ['a', m] as [string, number]),
      );
      await queue(
        db,
        webhook,
        Array.from({ length: 4 }, (_, m) => ['b', m] as [string, number]),
      );
      await queue(db, other.id, [['a', 1]]);
      const sizes = new Map((await listWebhooks(db, PORTAL)).map((w) => [w.id, w]));
      expect(sizes.get(webhook)).toMatchObject({ pending: 5, maxPending: 5, capped: true, notQueued: 3 });
      expect(sizes.get(other.id)).toMatchObject({ pending: 1, maxPending: 5, capped: false, notQueued: 0 });
      const kept = await db.query<{ event_id: string }>(
        'SELECT event_id FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY event_id',
        [webhook],
      );
      expect(kept.map((r) => r.event_id)).toEqual(['evt_a_0', 'evt_a_1', 'evt_a_2', 'evt_a_3', 'evt_b_0']);
      // A delivered row makes room for one more.
      const claimed = await claimDue(db, 16, 60_000, 't');
      const a0 = claimed.find((c) => c.eventId === 'evt_a_0');
      expect(await recordAttempt(db, a0?.id ?? '', 't', delivered)).toBe(true);
      await queue(db, webhook, [
        ['b', 1],
        ['b', 2],
      ]);
      expect((await listWebhooks(db, PORTAL)).find((w) => w.id === webhook)).toMatchObject({
        pending: 5,
        notQueued: 4,
      });
      expect(await heads(db)).toEqual((({ first }) => ({ marked: first, first }))(await heads(db)));
      await db.query('DELETE FROM webhook_deliveries WHERE webhook_id = $1', [webhook]);
      expect((await listWebhooks(db, PORTAL)).find((w) => w.id === webhook)).toMatchObject({
        pending: 0,
        capped: false,
      });
    });

    it('marks the first row of every call while two connections add earlier rows and finish heads at once', async () => {
      const other = openAnother ? await openAnother() : db;
      try {
        for (let round = 0; round < 15; round++) {
          const call = `r${round}`;
          await queue(db, webhook, [
            [call, 50],
            [call, 70],
          ]);
          const [head] = (await claimDue(db, 100, 60_000, `t${round}`)).filter((c) => c.eventId === `evt_${call}_50`);
          // The head's answer, an event before it and one after it, all at once on two connections.
          await Promise.all([
            recordAttempt(db, head?.id ?? '', `t${round}`, round % 2 ? delivered : retryIn(0)),
            queue(other, webhook, [[call, 40]]),
            queue(other, webhook, [[call, 60]]),
          ]);
          await releaseClaims(db, `t${round}`); // the earlier rounds' rows it claimed too
        }
        const { marked, first } = await heads(db);
        for (const id of first) expect(marked).toContain(id);
        // A mark a writer could not move (the row was locked) stays on a row that waits: the claim skips it.
        const claimed = await claimDue(db, 100, 60_000, 'last');
        expect(claimed.map((c) => c.eventId).sort()).toEqual(first);
      } finally {
        if (other !== db) await other.close();
      }
    });

    it("marks a row added while its call's head is being finished, once the finishing commits (no call is left without a mark)", async () => {
      await queue(db, webhook, [
        ['z', 50],
        ['z', 70],
      ]);
      const [head] = await claimDue(db, 16, 60_000, 'tz');
      const other = openAnother ? await openAnother() : db;
      try {
        let added: Promise<void> | null = null;
        let addedDone = false;
        await db.transaction(async (tx) => {
          // The head is answered (70 would be next), and before that commits, 60 comes in elsewhere.
          expect(await recordAttempt(tx, head?.id ?? '', 'tz', delivered)).toBe(true);
          added = queue(other, webhook, [['z', 60]]).then(() => void (addedDone = true));
          if (other === db) return; // one connection: the insert waits for this transaction anyway
          // The insert waits for this transaction (its webhook's count, its call's lock), or is done: then this one commits.
          await expect
            .poll(
              async () =>
                addedDone ||
                ((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted'))[0]?.n ??
                  0) > 0,
            )
            .toBe(true);
        });
        await added;
        expect(await heads(db)).toEqual({ marked: ['evt_z_60'], first: ['evt_z_60'] });
      } finally {
        if (other !== db) await other.close();
      }
    });
  });
}
