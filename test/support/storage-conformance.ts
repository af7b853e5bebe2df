// One suite every database driver passes: the same SQL and the same answers on each.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/server/db/index.ts';
import { migrate, readMigrations } from '../../src/server/db/migrate.ts';
import type { IncomingEvent } from '../../src/server/holds/event-schema.ts';
import { ingestEvents } from '../../src/server/holds/ingest.ts';
import { createIngestQueue } from '../../src/server/holds/ingest-queue.ts';
import { listHolds } from '../../src/server/holds/holds-list.ts';
import { announceChange, createLiveHub, holdingNow } from '../../src/server/holds/live.ts';
import { addNotice } from '../../src/server/notices/database-store.ts';
import { periodReport, type Period } from '../../src/server/holds/report.ts';
import { deletePortal, purgeBefore } from '../../src/server/holds/retention.ts';
import { DERIVED_TABLES, rebuildRollups, refreshSums } from '../../src/server/holds/rollups.ts';
import { warmUp } from '../../src/server/db/warm-up.ts';
import { createWebhook } from '../../src/server/webhooks/store.ts';
import { failedEvent, holdEvents, summaryEvent } from './hold-events.ts';
import { testOwnership } from './ownership-conformance.ts';
import { testTypedIngest } from './typed-ingest-conformance.ts';
import { testTalkAndLines } from './talk-lines-conformance.ts';

export interface StorageSuite {
  name: string;
  /** Opens the driver on an empty, migrated database. */
  open: () => Promise<Driver>;
  /** A second connection to the same database, for concurrency checks. */
  openAnother?: () => Promise<Driver>;
}

const PORTAL = 'acme.bitrix24.com';
const ANNA = { portal: PORTAL, userId: 7 };
const BORIS = { portal: PORTAL, userId: 8 };
const NOVEMBER: Period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), tz: 'UTC' };
/** The talk figures of calls none of which has a known talk time, with the holds' median and 90th percentile. */
const noTalk = (calls: number, medianHeldMs: number, p90HeldMs: number) => ({
  talkMs: 0,
  holdShare: null,
  callsWithoutTalk: calls,
  medianHeldMs,
  p90HeldMs,
});
const all = (period = NOVEMBER) => ({ period, sort: 'recent' as const, limit: 1000, userId: null });

export function testStorage(suite: StorageSuite): void {
  describe(`storage conformance: ${suite.name}`, () => {
    let db: Driver;
    beforeAll(async () => {
      db = await suite.open();
    }, 120_000);
    afterAll(() => db?.close());
    beforeEach(() =>
      db.exec(`TRUNCATE events, holds, calls, placement_errors, event_quota, ${DERIVED_TABLES.join(', ')}`),
    );

    it('applies each migration once, however often and however concurrently it is asked', async () => {
      const other = suite.openAnother ? await suite.openAnother() : db;
      try {
        expect(await Promise.all([migrate(db), migrate(other), migrate(db)])).toEqual([[], [], []]);
        const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
      } finally {
        if (other !== db) await other.close();
      }
    });

    it('rolls a transaction back when its work throws', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO calls VALUES ('p', 'c', 1, now(), now())");
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.query('SELECT * FROM calls')).toEqual([]);
    });

    it('stores an event once per portal, user and id, and counts the repeats as duplicates', async () => {
      const events = holdEvents({ callId: 'c1', start: '2026-11-24T10:00:00.000Z', heldMs: 5000 });
      expect(await ingestEvents(db, ANNA, events)).toEqual({ stored: 2, duplicates: 0, holdsChanged: true });
      expect(await ingestEvents(db, ANNA, [...events, events[0]])).toEqual({
        stored: 0,
        duplicates: 3,
        holdsChanged: false,
      });
      expect(await ingestEvents(db, { portal: 'other.bitrix24.com', userId: 7 }, events)).toMatchObject({ stored: 2 });
      expect(await listHolds(db, PORTAL, all())).toHaveLength(1);
    });

    it('stores concurrent batches a group to a transaction, each event once, with an answer per batch', async () => {
      const queue = createIngestQueue(db);
      const batches = Array.from({ length: 20 }, (_, i) =>
        holdEvents({ callId: `g${i % 10}`, start: '2026-11-24T10:00:00.000Z', heldMs: 1000 + (i % 10) }),
      );
      // Two frames of one operator send the same clicks.
      const results = await Promise.all(batches.map((events) => queue.submit({ sender: ANNA, events })));
      expect(results.every((r) => r.stored + r.duplicates === 2)).toBe(true);
      expect(results.reduce((sum, r) => sum + r.stored, 0)).toBe(20);
      expect(results.slice(0, 10).map((r) => r.stored)).toEqual(Array(10).fill(2));
      expect(await listHolds(db, PORTAL, all())).toHaveLength(10);
      expect(queue.size()).toBe(0);
    });

    it('takes the user from the sender, never from the event body', async () => {
      await ingestEvents(db, ANNA, holdEvents({ callId: 'c1', start: '2026-11-24T10:00:00.000Z', heldMs: 5000 }));
      const [stored] = await db.query<{ user_id: number; domain: string }>(
        "SELECT user_id, data->>'domain' AS domain FROM events LIMIT 1",
      );
      expect(stored).toEqual({ user_id: 7, domain: PORTAL });
      expect((await listHolds(db, PORTAL, all()))[0]?.userId).toBe(7);
    });

    it('builds the same hold row whatever order its events arrive in', async () => {
      const [started, ended] = holdEvents({
        callId: 'c1',
        start: '2026-11-24T10:00:00.000Z',
        heldMs: 41_250,
        endedBy: 'hangup',
      });
      await ingestEvents(db, ANNA, [ended]);
      const fromEndAlone = await listHolds(db, PORTAL, all());
      await ingestEvents(db, ANNA, [started]);
      const expected = {
        callId: 'c1',
        userId: 7,
        startedAt: '2026-11-24T10:00:00.000Z',
        endedAt: '2026-11-24T10:00:41.250Z',
        heldMs: 41_250,
        endedBy: 'hangup',
        phoneNumber: '+19001234567',
        crmEntityType: 'CONTACT',
        crmEntityId: 123,
        lineNumber: 'reg151083',
        answeredAt: null,
        talkMs: null,
      };
      expect(fromEndAlone).toEqual([expected]);
      expect(await listHolds(db, PORTAL, all())).toEqual([expected]);
    });

    it("takes the start from hold.started over the one an end implies, and the call's details from either", async () => {
      // The end says 41 s held, so it implies a start 250 ms later than hold.started's; the start names no
      // CRM entity, the end (the card named it meanwhile) does.
      const spec = { start: '2026-11-24T10:00:00.000Z', heldMs: 41_250 };
      const split = (callId: string): [IncomingEvent, IncomingEvent] => {
        const [started, ended] = holdEvents({ callId, ...spec });
        return [
          { ...started, data: { ...started.data, crmEntityType: null, crmEntityId: null } },
          { ...ended, data: { ...ended.data, heldMs: 41_000 } },
        ] as [IncomingEvent, IncomingEvent];
      };
      const [s1, e1] = split('end-first');
      await ingestEvents(db, ANNA, [e1]);
      expect(await listHolds(db, PORTAL, all())).toMatchObject([{ startedAt: '2026-11-24T10:00:00.250Z' }]);
      await ingestEvents(db, ANNA, [s1]);
      const [s2, e2] = split('start-first');
      await ingestEvents(db, ANNA, [s2]);
      await ingestEvents(db, ANNA, [e2]);
      const [s3, e3] = split('together');
      await ingestEvents(db, ANNA, [e3, s3]);
      const rows = await listHolds(db, PORTAL, all());
      expect(rows.map((row) => row.callId).sort()).toEqual(['end-first', 'start-first', 'together']);
      for (const row of rows)
        expect(row, row.callId ?? '').toMatchObject({
          startedAt: '2026-11-24T10:00:00.000Z',
          endedAt: '2026-11-24T10:00:41.250Z',
          heldMs: 41_000,
          crmEntityType: 'CONTACT',
          crmEntityId: 123,
        });
    });

    it('pairs the two events of a hold clicked before the card named its call', async () => {
      await ingestEvents(
        db,
        ANNA,
        holdEvents({ callId: null, start: '2026-11-24T10:00:00.000Z', heldMs: 3000 }).reverse(),
      );
      expect(await listHolds(db, PORTAL, all())).toMatchObject([
        { callId: null, heldMs: 3000, startedAt: '2026-11-24T10:00:00.000Z' },
      ]);
    });

    it('drops a hold whose start failed and reopens one whose resume failed until the next end', async () => {
      const [s1, e1] = holdEvents({ callId: 'c1', seq: 1, start: '2026-11-24T10:00:00.000Z', heldMs: 2000 });
      const [s2] = holdEvents({ callId: 'c1', seq: 2, start: '2026-11-24T10:01:00.000Z', heldMs: 0 });
      await ingestEvents(db, ANNA, [failedEvent('c1', 2, '2026-11-24T10:01:03.000Z', false), s2]);
      await ingestEvents(db, ANNA, [s1, e1, failedEvent('c1', 1, '2026-11-24T10:00:05.000Z', true)]);
      expect(await listHolds(db, PORTAL, all())).toMatchObject([{ callId: 'c1', endedAt: null, heldMs: null }]);
      const [, again] = holdEvents({ callId: 'c1', seq: 1, start: '2026-11-24T10:00:00.000Z', heldMs: 9000 });
      await ingestEvents(db, ANNA, [{ ...again, id: 'evt_c1-1_e2' }]);
      expect(await listHolds(db, PORTAL, all())).toMatchObject([{ heldMs: 9000, endedAt: '2026-11-24T10:00:09.000Z' }]);
    });

    it('reports exact totals, operators and days for a known set of events', async () => {
      await ingestEvents(db, ANNA, [
        ...holdEvents({ callId: 'a1', seq: 1, start: '2026-11-24T10:00:00.000Z', heldMs: 10_000 }),
        ...holdEvents({ callId: 'a1', seq: 2, start: '2026-11-24T10:05:00.000Z', heldMs: 30_000, endedBy: 'hangup' }),
        summaryEvent('a1', '2026-11-24T10:06:00.000Z', 2),
        summaryEvent('a2', '2026-11-25T09:00:00.000Z'),
        ...holdEvents({ callId: 'a3', start: '2026-10-31T23:59:00.000Z', heldMs: 120_000 }),
      ]);
      await ingestEvents(db, BORIS, [
        ...holdEvents({ callId: 'b1', start: '2026-11-25T08:00:00.000Z', heldMs: 20_000, endedBy: 'close' }),
        holdEvents({ callId: 'b2', start: '2026-11-26T08:00:00.000Z', heldMs: 0 })[0],
      ]);
      await ingestEvents(
        db,
        { portal: 'other.bitrix24.com', userId: 7 },
        holdEvents({ callId: 'x', start: '2026-11-24T10:00:00.000Z', heldMs: 1 }),
      );
      const report = await periodReport(db, PORTAL, NOVEMBER);
      expect(report).toEqual({
        period: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', tz: 'UTC' },
        lineNumber: null,
        quantileAccuracy: { absMs: 1000, relative: 0.05 },
        totals: {
          calls: 5,
          callsWithHolds: 3,
          holds: 4,
          heldMs: 60_000,
          avgHeldMs: 20_000,
          longestHeldMs: 30_000,
          endedWithCall: 2,
          ...noTalk(5, 20_000, 28_000),
        },
        operators: [
          {
            userId: 7,
            calls: 3,
            callsWithHolds: 1,
            holds: 2,
            heldMs: 40_000,
            avgHeldMs: 20_000,
            longestHeldMs: 30_000,
            endedWithCall: 1,
            ...noTalk(3, 20_000, 28_000),
          },
          {
            userId: 8,
            calls: 2,
            callsWithHolds: 2,
            holds: 2,
            heldMs: 20_000,
            avgHeldMs: 20_000,
            longestHeldMs: 20_000,
            endedWithCall: 1,
            ...noTalk(2, 20_000, 20_000),
          },
        ],
        lines: [
          {
            lineNumber: 'reg151083',
            calls: 5,
            holds: 4,
            heldMs: 60_000,
            avgHeldMs: 20_000,
            endedWithCall: 2,
            ...noTalk(5, 20_000, 28_000),
          },
        ],
        days: [
          { date: '2026-11-24', holds: 2, heldMs: 40_000 },
          { date: '2026-11-25', holds: 1, heldMs: 20_000 },
          { date: '2026-11-26', holds: 1, heldMs: 0 },
        ],
      });
    });

    it('keeps the quarter-hour sums equal to a rebuild from the rows, whatever the order of events', async () => {
      const events = [
        ...holdEvents({ callId: 'q1', seq: 1, start: '2026-11-24T10:14:59.000Z', heldMs: 2000 }),
        ...holdEvents({ callId: 'q1', seq: 2, start: '2026-11-24T10:29:00.000Z', heldMs: 70_000, endedBy: 'hangup' }),
        ...holdEvents({ callId: 'q2', seq: 1, start: '2026-11-24T10:15:00.000Z', heldMs: 5000 }),
        failedEvent('q2', 1, '2026-11-24T10:15:04.000Z', true),
        failedEvent('q3', 1, '2026-11-24T11:00:01.000Z', false),
        ...holdEvents({ callId: 'q3', seq: 1, start: '2026-11-24T11:00:00.000Z', heldMs: 0 }).slice(0, 1),
        summaryEvent('q4', '2026-11-24T12:00:00.000Z'),
      ];
      // An end whose own length puts the start in the quarter before the one hold.started names.
      const [s5, e5] = holdEvents({ callId: 'q5', start: '2026-11-24T10:45:00.500Z', heldMs: 1000 });
      events.push(s5, { ...e5, data: { ...e5.data, heldMs: 2000 } } as typeof e5);
      for (const [i, event] of [...events].reverse().entries()) await ingestEvents(db, i % 2 ? ANNA : BORIS, [event]);
      await ingestEvents(db, ANNA, [
        { ...holdEvents({ callId: 'q2', seq: 1, start: '2026-11-24T10:15:00.000Z', heldMs: 8000 })[1], id: 'again' },
      ]);
      const sums = async () => ({
        // A sum that emptied keeps a row of zeros, which adds nothing; a rebuild leaves none.
        holds: await db.query('SELECT * FROM hold_quarters WHERE holds > 0 ORDER BY portal, bucket, user_id'),
        holdDays: await db.query('SELECT * FROM hold_days WHERE holds > 0 ORDER BY portal, bucket, user_id'),
        userDays: await db.query('SELECT * FROM hold_user_days ORDER BY portal, bucket, user_id'),
        lineDays: await db.query('SELECT * FROM hold_line_days ORDER BY portal, bucket, line_number'),
        portal: await db.query('SELECT * FROM portal_quarters WHERE holds > 0 ORDER BY portal, bucket'),
        calls: await db.query(
          'SELECT * FROM call_quarters WHERE calls + calls_with_holds > 0 ORDER BY portal, bucket, user_id',
        ),
        callDays: await db.query(
          'SELECT * FROM call_days WHERE calls + calls_with_holds > 0 ORDER BY portal, bucket, user_id',
        ),
      });
      await refreshSums(db, PORTAL);
      const kept = await sums();
      expect(kept.holds.length).toBeGreaterThan(1);
      await rebuildRollups(db, PORTAL);
      expect(await sums()).toEqual(kept);
    });

    it('leaves the sums to a refresh after ingest, which recomputes each stale quarter once, in chunks, and a report refreshes first', async () => {
      const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}T10:00:00.000Z`;
      // 50 quarters on 25 days: more than one chunk of the refresh.
      for (let n = 1; n <= 25; n++) {
        await ingestEvents(db, ANNA, [
          ...holdEvents({ callId: `a${n}`, start: day(n), heldMs: 1000 }),
          ...holdEvents({ callId: `b${n}`, seq: 1, start: day(n).replace('T10', 'T11'), heldMs: 2000 }),
        ]);
      }
      const stale = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM stale_quarters'))[0]?.n;
      expect(await stale()).toBe(100);
      expect(await db.query('SELECT 1 FROM hold_days')).toEqual([]);
      expect(await refreshSums(db, PORTAL)).toBe(100);
      expect(await stale()).toBe(0);
      const refreshed = await db.query('SELECT * FROM hold_days ORDER BY bucket');
      expect(refreshed).toHaveLength(25);
      await rebuildRollups(db, PORTAL);
      expect(await db.query('SELECT * FROM hold_days ORDER BY bucket')).toEqual(refreshed);

      await ingestEvents(db, BORIS, holdEvents({ callId: 'late', start: day(26), heldMs: 4000 }));
      expect(await stale()).toBe(2);
      const report = await periodReport(db, PORTAL, NOVEMBER);
      expect(report.totals).toMatchObject({ holds: 51, heldMs: 25 * 3000 + 4000, calls: 51 });
      expect(await stale()).toBe(0);
    });

    it('counts the ragged ends of a period that does not start or end on a quarter hour', async () => {
      await ingestEvents(db, ANNA, [
        ...holdEvents({ callId: 'e1', start: '2026-11-24T10:07:00.000Z', heldMs: 1000 }),
        ...holdEvents({ callId: 'e2', start: '2026-11-24T10:20:00.000Z', heldMs: 2000 }),
        ...holdEvents({ callId: 'e3', start: '2026-11-24T10:40:00.000Z', heldMs: 4000 }),
      ]);
      const figures = async (from: string, to: string) => {
        const { totals } = await periodReport(db, PORTAL, { from: new Date(from), to: new Date(to), tz: 'UTC' });
        return [totals.holds, totals.heldMs, totals.calls, totals.callsWithHolds];
      };
      expect(await figures('2026-11-24T10:05:00Z', '2026-11-24T10:41:00Z')).toEqual([3, 7000, 3, 3]);
      expect(await figures('2026-11-24T10:08:00Z', '2026-11-24T10:41:00Z')).toEqual([2, 6000, 2, 2]);
      expect(await figures('2026-11-24T10:05:00Z', '2026-11-24T10:39:59Z')).toEqual([2, 3000, 2, 2]);
      expect(await figures('2026-11-24T10:19:00Z', '2026-11-24T10:21:00Z')).toEqual([1, 2000, 1, 1]);
    });

    it('adds whole days, the quarters around them and the minutes at the ends, each once', async () => {
      const starts = [
        '2026-11-23T21:59:00.000Z',
        '2026-11-23T22:01:00.000Z',
        '2026-11-23T23:00:00.000Z',
        '2026-11-24T10:00:00.000Z',
        '2026-11-25T23:59:59.000Z',
        '2026-11-26T01:00:00.000Z',
        '2026-11-26T02:05:00.000Z',
        '2026-11-26T02:08:00.000Z',
      ];
      await ingestEvents(
        db,
        ANNA,
        starts.flatMap((start, i) => holdEvents({ callId: `w${i}`, start, heldMs: 1000 * (i + 1) })),
      );
      const { totals, days } = await periodReport(db, PORTAL, {
        from: new Date('2026-11-23T22:00:00Z'),
        to: new Date('2026-11-26T02:07:00Z'),
        tz: 'Europe/Berlin',
      });
      expect(totals).toMatchObject({
        holds: 6,
        heldMs: (2 + 3 + 4 + 5 + 6 + 7) * 1000,
        calls: 6,
        callsWithHolds: 6,
        longestHeldMs: 7000,
      });
      expect(days).toEqual([
        { date: '2026-11-23', holds: 1, heldMs: 2000 },
        { date: '2026-11-24', holds: 2, heldMs: 7000 },
        { date: '2026-11-26', holds: 3, heldMs: 18_000 },
      ]);
    });

    it('counts a call that began before the period and was still going in it', async () => {
      await ingestEvents(db, ANNA, [
        ...holdEvents({ callId: 'long', seq: 1, start: '2026-10-31T23:50:00.000Z', heldMs: 1000 }),
        ...holdEvents({ callId: 'long', seq: 2, start: '2026-11-01T00:05:00.000Z', heldMs: 1000 }),
      ]);
      const { totals } = await periodReport(db, PORTAL, NOVEMBER);
      expect(totals).toMatchObject({ calls: 1, callsWithHolds: 1, holds: 1 });
    });

    it("counts days in the reader's time zone", async () => {
      await ingestEvents(db, ANNA, holdEvents({ callId: 'late', start: '2026-11-24T23:30:00.000Z', heldMs: 1000 }));
      const berlin = await periodReport(db, PORTAL, { ...NOVEMBER, tz: 'Europe/Berlin' });
      const newYork = await periodReport(db, PORTAL, { ...NOVEMBER, tz: 'America/New_York' });
      expect(berlin.days).toEqual([{ date: '2026-11-25', holds: 1, heldMs: 1000 }]);
      expect(newYork.days).toEqual([{ date: '2026-11-24', holds: 1, heldMs: 1000 }]);
    });

    it('lists holds longest or most recent first, limited, for one operator or all', async () => {
      await ingestEvents(db, ANNA, [
        ...holdEvents({ callId: 'a1', start: '2026-11-24T10:00:00.000Z', heldMs: 5000 }),
        ...holdEvents({ callId: 'a2', start: '2026-11-24T11:00:00.000Z', heldMs: 1000 }),
      ]);
      await ingestEvents(db, BORIS, holdEvents({ callId: 'b1', start: '2026-11-24T09:00:00.000Z', heldMs: 9000 }));
      const ids = (rows: { callId: string | null }[]) => rows.map((r) => r.callId);
      expect(ids(await listHolds(db, PORTAL, all()))).toEqual(['a2', 'a1', 'b1']);
      expect(ids(await listHolds(db, PORTAL, { ...all(), sort: 'longest' }))).toEqual(['b1', 'a1', 'a2']);
      expect(ids(await listHolds(db, PORTAL, { ...all(), sort: 'longest', limit: 1 }))).toEqual(['b1']);
      expect(ids(await listHolds(db, PORTAL, { ...all(), userId: 7 }))).toEqual(['a2', 'a1']);
    });

    it('lists who is on hold now, and announces each stored change and each announced one to every listener', async () => {
      const hub = await createLiveHub(db);
      const heard: string[] = [];
      const unsubscribe = hub.subscribe(PORTAL, () => heard.push('change'));
      try {
        const start = new Date(Date.now() - 5000).toISOString();
        const [started] = holdEvents({ callId: 'now', start, heldMs: 0 });
        await ingestEvents(db, ANNA, [started, ...holdEvents({ callId: 'done', start, heldMs: 1000 })]);
        expect(await holdingNow(db, PORTAL)).toEqual([{ userId: 7, callId: 'now', since: start }]);
        await expect.poll(() => heard.length).toBe(1);
        await announceChange(db, PORTAL);
        await expect.poll(() => heard.length).toBe(2);
      } finally {
        unsubscribe();
        await hub.close();
      }
    });

    it('warms up by storing made-up groups it rolls back: no row and no notice is left', async () => {
      const hub = await createLiveHub(db);
      const heard: string[] = [];
      const unsubscribe = [
        hub.subscribe('~warm-up', () => heard.push('warm-up')),
        hub.subscribe(PORTAL, () => heard.push('real')),
      ];
      try {
        expect(await warmUp(db, { groups: 3, budgetMs: 60_000 })).toMatchObject({ groups: 3 });
        for (const table of ['events', 'holds', 'calls', ...DERIVED_TABLES])
          expect(await db.query(`SELECT 1 FROM ${table}`), table).toEqual([]);
        // Notices arrive in commit order: once the real one is heard, a warm-up one would have been.
        await ingestEvents(db, ANNA, holdEvents({ callId: 'c1', start: '2026-11-24T10:00:00.000Z', heldMs: 5000 }));
        await expect.poll(() => heard).toEqual(['real']);
      } finally {
        for (const stop of unsubscribe) stop();
        await hub.close();
      }
    });

    it('purges what is older than the retention period and keeps the rest', async () => {
      await ingestEvents(db, ANNA, [
        ...holdEvents({ callId: 'old', start: '2026-05-01T10:00:00.000Z', heldMs: 1000 }),
        ...holdEvents({ callId: 'new', start: '2026-11-24T10:00:00.000Z', heldMs: 1000 }),
      ]);
      const notice = {
        receivedAt: new Date().toISOString(),
        error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
        description: null,
        domain: PORTAL,
        memberId: 'm1',
        placement: null,
        fields: {},
        droppedFields: 0,
        verified: false as const,
      };
      await addNotice(db, 'member:m1', notice, { perPortal: 20, total: 100 });
      expect(await purgeBefore(db, new Date('2026-06-01T00:00:00Z'))).toEqual({
        events: 2,
        holds: 1,
        calls: 1,
        placementErrors: 0,
      });
      expect(
        (await listHolds(db, PORTAL, { ...all(), period: { ...NOVEMBER, from: new Date(0) } })).map((h) => h.callId),
      ).toEqual(['new']);
    });

    it("deletes all of one portal's statistics and webhook deliveries with their attempts, and nothing of another", async () => {
      await db.exec('DELETE FROM webhooks');
      const hook = {
        url: 'https://pbx.example.com/hook',
        on: ['hold.started' as const, 'hold.ended' as const],
        confirm: false,
        timeoutMs: 3000,
        maxAgeMs: 7 * 86_400_000,
      };
      const mine = await createWebhook(db, PORTAL, 1, hook);
      const theirs = await createWebhook(db, 'other.bitrix24.com', 1, hook);
      const events = holdEvents({ callId: 'c1', start: new Date(Date.now() - 60_000).toISOString(), heldMs: 1000 });
      await ingestEvents(db, ANNA, events);
      await ingestEvents(db, { portal: 'other.bitrix24.com', userId: 7 }, events);
      await db.query(
        `INSERT INTO webhook_attempts (delivery_id, status, duration_ms) SELECT id, 503, 1 FROM webhook_deliveries`,
      );
      expect(await deletePortal(db, PORTAL)).toEqual({
        events: 2,
        holds: 1,
        calls: 1,
        placementErrors: 0,
        webhookDeliveries: 2,
      });
      expect(
        await listHolds(db, PORTAL, all({ ...NOVEMBER, from: new Date(0), to: new Date(Date.now() + 86_400_000) })),
      ).toEqual([]);
      expect(
        await listHolds(
          db,
          'other.bitrix24.com',
          all({ ...NOVEMBER, from: new Date(0), to: new Date(Date.now() + 86_400_000) }),
        ),
      ).toHaveLength(1);
      const left = await db.query<{ webhook_id: string; attempts: number }>(
        'SELECT d.webhook_id, (SELECT count(*)::int FROM webhook_attempts a WHERE a.delivery_id = d.id) AS attempts FROM webhook_deliveries d',
      );
      expect(left).toEqual([
        { webhook_id: theirs.ok && theirs.id, attempts: 1 },
        { webhook_id: theirs.ok && theirs.id, attempts: 1 },
      ]);
      expect(
        await db.query(
          'SELECT 1 FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.webhook_id = $1',
          [mine.ok && mine.id],
        ),
      ).toEqual([]);
    });

    testOwnership(() => db);
    testTalkAndLines(() => db);
    testTypedIngest(() => db);
  });
}
