// Who owns an event, on every database driver: events, holds, calls and webhook deliveries are
// each user's own, a batch the database refuses fails alone, and rows stored before migration 006
// move to their owners. Registered inside the storage conformance suite, on its database.
import { expect, it } from 'vitest';
import type { Driver } from '../../src/server/db/index.ts';
import { readMigrations } from '../../src/server/db/migrate.ts';
import type { IncomingEvent } from '../../src/server/holds/event-schema.ts';
import { ingestEvents, ingestInto } from '../../src/server/holds/ingest.ts';
import { BadBatchError, createIngestQueue } from '../../src/server/holds/ingest-queue.ts';
import { listHolds } from '../../src/server/holds/holds-list.ts';
import { holdingNow } from '../../src/server/holds/live.ts';
import { periodReport, type Period } from '../../src/server/holds/report.ts';
import { purgeBefore } from '../../src/server/holds/retention.ts';
import { webhookIdOf } from '../../src/server/webhooks/delivery-body.ts';
import { claimDue } from '../../src/server/webhooks/queue.ts';
import { createWebhook, deleteWebhook } from '../../src/server/webhooks/store.ts';
import { holdEvents, summaryEvent } from './hold-events.ts';

const PORTAL = 'acme.bitrix24.com';
const ANNA = { portal: PORTAL, userId: 7 };
const BORIS = { portal: PORTAL, userId: 8 };
const NOVEMBER: Period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), tz: 'UTC' };
const all = { period: NOVEMBER, sort: 'recent' as const, limit: 1000, userId: null };

export function testOwnership(dbOf: () => Driver): void {
  it("keeps a hold its owner's: another user's hold.ended for the same call neither ends, lengthens nor shadows it", async () => {
    const db = dbOf();
    const [started, ended] = holdEvents({ callId: 'c7', start: '2026-11-24T10:00:00.000Z', heldMs: 5000 });
    await ingestEvents(db, ANNA, [started]);
    // Boris ends Anna's hold with a day on hold and a later timestamp.
    const forged = {
      ...ended,
      timestamp: '2026-11-25T10:00:00.000Z',
      data: { ...ended.data, heldMs: 86_400_000, endedBy: 'hangup' },
    } as IncomingEvent;
    expect(await ingestEvents(db, BORIS, [forged])).toMatchObject({ stored: 1, duplicates: 0 });
    const anna = async () => await listHolds(db, PORTAL, { ...all, userId: 7 });
    expect(await anna()).toMatchObject([
      { callId: 'c7', userId: 7, startedAt: started.timestamp, endedAt: null, heldMs: null, endedBy: null },
    ]);
    await ingestEvents(db, ANNA, [ended]);
    expect(await anna()).toMatchObject([
      { callId: 'c7', userId: 7, endedAt: ended.timestamp, heldMs: 5000, endedBy: 'resume' },
    ]);
    const { operators } = await periodReport(db, PORTAL, NOVEMBER);
    expect(operators.find((o) => o.userId === 7)).toMatchObject({
      calls: 1,
      holds: 1,
      heldMs: 5000,
      longestHeldMs: 5000,
      endedWithCall: 0,
    });
  });

  it("lists the owner's open hold as live whatever another user sends for the same call", async () => {
    const db = dbOf();
    const start = new Date(Date.now() - 5000).toISOString();
    const [started, ended] = holdEvents({ callId: 'live7', start, heldMs: 1000 });
    await ingestEvents(db, ANNA, [started]);
    await ingestEvents(db, BORIS, [ended]);
    expect(await holdingNow(db, PORTAL)).toEqual([{ userId: 7, callId: 'live7', since: start }]);
  });

  it("stores the same event id from another user as that user's own: the owner's real event is not lost as a duplicate", async () => {
    const db = dbOf();
    const events = holdEvents({ callId: 'next', start: '2026-11-24T11:00:00.000Z', heldMs: 3000 });
    // Boris predicts Anna's next ids and sends them first.
    expect(await ingestEvents(db, BORIS, events)).toEqual({ stored: 2, duplicates: 0, holdsChanged: true });
    expect(await ingestEvents(db, ANNA, events)).toEqual({ stored: 2, duplicates: 0, holdsChanged: true });
    expect(await ingestEvents(db, ANNA, events)).toEqual({ stored: 0, duplicates: 2, holdsChanged: false });
    expect((await listHolds(db, PORTAL, all)).map((h) => h.userId).sort()).toEqual([7, 8]);
  });

  it('counts a call two operators took part in as a call of each, and a call of one operator once', async () => {
    const db = dbOf();
    await ingestEvents(db, ANNA, [
      ...holdEvents({ callId: 'shared', start: '2026-11-24T10:00:00.000Z', heldMs: 1000 }),
      summaryEvent('alone', '2026-11-24T12:00:00.000Z'),
    ]);
    await ingestEvents(db, BORIS, [summaryEvent('shared', '2026-11-24T10:30:00.000Z')]);
    const { totals, operators } = await periodReport(db, PORTAL, NOVEMBER);
    expect(operators).toMatchObject([
      { userId: 7, calls: 2, callsWithHolds: 1, holds: 1 },
      { userId: 8, calls: 1, callsWithHolds: 0, holds: 0 },
    ]);
    expect(totals).toMatchObject({ calls: 3, callsWithHolds: 1, holds: 1 });
  });

  it('queues one delivery per user for the same event id, each with a webhook-id of its own that every retry and frame repeats', async () => {
    const db = dbOf();
    const created = await createWebhook(db, PORTAL, 1, {
      url: 'https://pbx.example.com/hook',
      on: ['hold.started'],
      confirm: false,
      timeoutMs: 3000,
      maxAgeMs: 86_400_000 * 365 * 10,
    });
    if (!created.ok) throw new Error(created.error);
    try {
      const [started] = holdEvents({ callId: 'wh', start: '2026-11-24T10:00:00.000Z', heldMs: 1000 });
      await ingestInto(db, [
        { sender: BORIS, events: [started] },
        { sender: ANNA, events: [started] },
        { sender: ANNA, events: [started] },
      ]);
      const rows = await db.query<{ user_id: number; event_id: string }>(
        'SELECT user_id, event_id FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY user_id',
        [created.id],
      );
      expect(rows).toEqual([
        { user_id: 7, event_id: started.id },
        { user_id: 8, event_id: started.id },
      ]);
      expect(webhookIdOf(PORTAL, 7, started.id)).toBe(webhookIdOf(PORTAL, 7, started.id));
      expect(
        new Set([
          webhookIdOf(PORTAL, 7, started.id),
          webhookIdOf(PORTAL, 8, started.id),
          webhookIdOf('other.bitrix24.com', 7, started.id),
        ]).size,
      ).toBe(3);
    } finally {
      await deleteWebhook(db, PORTAL, created.id);
    }
  });

  it("never holds the owner's webhook deliveries back behind another user's failing event for the same call (each user's call is a chain of its own)", async () => {
    const db = dbOf();
    const created = await createWebhook(db, PORTAL, 1, {
      url: 'https://pbx.example.com/hook',
      on: ['hold.started'],
      confirm: false,
      timeoutMs: 3000,
      maxAgeMs: 86_400_000 * 365 * 10,
    });
    if (!created.ok) throw new Error(created.error);
    try {
      const [owners] = holdEvents({ callId: 'chain', start: '2026-11-24T10:00:10.000Z', heldMs: 1000 });
      const [earlier] = holdEvents({ callId: 'chain', seq: 2, start: '2026-11-24T10:00:00.000Z', heldMs: 1000 });
      await ingestInto(db, [
        { sender: BORIS, events: [earlier] },
        { sender: ANNA, events: [owners] },
      ]);
      // Boris's earlier event failed and waits an hour for its next try.
      await db.query(
        `UPDATE webhook_deliveries SET attempts = 1, next_attempt_at = now() + interval '1 hour' WHERE webhook_id = $1 AND user_id = 8`,
        [created.id],
      );
      const claimed = await claimDue(db, 10, 60_000, 'owner-test');
      expect(claimed.filter((c) => c.webhookId === created.id).map((c) => [c.userId, c.eventId])).toEqual([
        [7, owners.id],
      ]);
    } finally {
      await deleteWebhook(db, PORTAL, created.id);
    }
  });

  it('fails only the batch the database refuses when it was stored in a group with others', async () => {
    const db = dbOf();
    const queue = createIngestQueue(db);
    const batch = (callId: string) => holdEvents({ callId, start: '2026-11-24T10:00:00.000Z', heldMs: 1000 });
    // PostgreSQL's JSON cannot hold NUL (the API refuses it before; here it stands for any refused value).
    const [badStart, badEnd] = batch('bad');
    const bad = [badStart, { ...badEnd, data: { ...badEnd.data, phoneNumber: 'x\u0000y' } } as IncomingEvent];
    // The first batch is stored alone; the next three wait and form one group.
    const outcomes = await Promise.allSettled(
      [batch('g1'), batch('g2'), bad, batch('g3')].map((events, i) =>
        queue.submit({ sender: i === 1 ? BORIS : ANNA, events }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[2]?.status === 'rejected' && outcomes[2].reason).toBeInstanceOf(BadBatchError);
    expect((await listHolds(db, PORTAL, all)).map((h) => h.callId).sort()).toEqual(['g1', 'g2', 'g3']);
  });

  it("counts a portal's stored events of the day in the database, once each, and the purge forgets the days before yesterday", async () => {
    const db = dbOf();
    const noon = Date.parse('2026-11-24T12:00:00Z');
    const events = holdEvents({ callId: 'quota', start: '2026-11-24T10:00:00.000Z', heldMs: 1000 });
    expect(
      (
        await ingestInto(
          db,
          [
            { sender: ANNA, events },
            { sender: ANNA, events },
          ],
          noon,
        )
      ).used,
    ).toEqual({ [PORTAL]: 2 });
    expect((await ingestInto(db, [{ sender: BORIS, events }], noon)).used).toEqual({ [PORTAL]: 4 });
    // A group of duplicates only counts nothing and reports nothing.
    expect((await ingestInto(db, [{ sender: BORIS, events }], noon)).used).toEqual({});
    expect(
      await db.query("SELECT portal, to_char(day, 'YYYY-MM-DD') AS day, events::int AS events FROM event_quota"),
    ).toEqual([{ portal: PORTAL, day: '2026-11-24', events: 4 }]);
    await purgeBefore(db, new Date('2026-01-01T00:00:00Z'));
    expect(await db.query("SELECT 1 FROM event_quota WHERE day < (now() AT TIME ZONE 'UTC')::date - 1")).toEqual([]);
  });

  it('moves rows stored before migration 006 to their owners: a call two users took part in becomes a call of each', async () => {
    const db = dbOf();
    const outcome = db.transaction(async (tx) => {
      await tx.exec('CREATE SCHEMA before_006; SET LOCAL search_path TO before_006');
      for (const migration of readMigrations().filter((m) => m.version < 6)) await tx.exec(migration.sql);
      await tx.exec(`
        INSERT INTO events (portal, event_id, type, user_id, call_key, occurred_at, data) VALUES
          ('${PORTAL}', 'e1', 'hold.started', 7, 'x', '2026-11-24T10:00:00Z', '{"holdSeq": 1}'),
          ('${PORTAL}', 'e2', 'hold.ended', 7, 'x', '2026-11-24T10:01:00Z', '{"holdSeq": 1}'),
          ('${PORTAL}', 'e3', 'hold.started', 8, 'x', '2026-11-24T10:20:00Z', '{"holdSeq": 2}'),
          ('${PORTAL}', 'e4', 'call.summary', 8, 'x', '2026-11-24T10:30:00Z', '{}');
        INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, started_at, ended_at, held_ms, ended_by) VALUES
          ('${PORTAL}', 'x', 1, 7, 'x', '2026-11-24T10:00:00Z', '2026-11-24T10:01:00Z', 60000, 'resume'),
          ('${PORTAL}', 'x', 2, 8, 'x', '2026-11-24T10:20:00Z', NULL, NULL, NULL);
        INSERT INTO calls (portal, call_key, user_id, first_at, last_at, first_hold_at) VALUES
          ('${PORTAL}', 'x', 7, '2026-11-24T10:00:00Z', '2026-11-24T10:30:00Z', '2026-11-24T10:00:00Z');
        INSERT INTO webhooks (id, portal, url, event_types, timeout_ms, max_age_ms, secret, created_by) VALUES
          ('wh_1', '${PORTAL}', 'https://pbx.example.com/hook', '{hold.started}', 3000, 86400000, 'whsec_x', 1);
        INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, call_key, occurred_at, body) VALUES
          ('wh_1', 'e3', 'hold.started', 'x', '2026-11-24T10:20:00Z', '{"id": "e3", "data": {"userId": 8}}');`);
      await tx.exec(readMigrations().find((m) => m.version === 6)?.sql ?? '');
      const calls =
        await tx.query(`SELECT user_id, to_char(first_at AT TIME ZONE 'UTC', 'HH24:MI') AS first_at, to_char(last_at AT TIME ZONE 'UTC', 'HH24:MI') AS last_at,
        to_char(first_hold_at AT TIME ZONE 'UTC', 'HH24:MI') AS first_hold_at FROM calls ORDER BY user_id`);
      const stale = await tx.query('SELECT DISTINCT user_id FROM stale_quarters WHERE kind = $1 ORDER BY user_id', [
        'calls',
      ]);
      const deliveries = await tx.query('SELECT user_id FROM webhook_deliveries');
      throw Object.assign(new Error('rolled back'), { seen: { calls, stale, deliveries } });
    });
    const error = await outcome.catch((e: unknown) => e as { seen?: unknown });
    expect(error.seen).toEqual({
      calls: [
        { user_id: 7, first_at: '10:00', last_at: '10:01', first_hold_at: '10:00' },
        { user_id: 8, first_at: '10:20', last_at: '10:30', first_hold_at: '10:20' },
      ],
      stale: [{ user_id: 7 }, { user_id: 8 }],
      deliveries: [{ user_id: 8 }],
    });
  });
}
