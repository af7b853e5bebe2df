// Talk time, hold share, lines and hold-length quantiles, on every database driver: the figures of
// migration 010 and the report that reads them. Registered inside the storage conformance suite.
import { expect, it } from 'vitest';
import type { Driver } from '../../src/server/db/index.ts';
import { readMigrations } from '../../src/server/db/migrate.ts';
import type { IncomingEvent } from '../../src/server/holds/event-schema.ts';
import { QUANTILE_ACCURACY } from '../../src/server/holds/hold-lengths.ts';
import { ingestEvents } from '../../src/server/holds/ingest.ts';
import { listHolds } from '../../src/server/holds/holds-list.ts';
import { periodReport, type Period } from '../../src/server/holds/report.ts';
import { holdEvents, summaryEvent } from './hold-events.ts';

const PORTAL = 'acme.bitrix24.com';
const ANNA = { portal: PORTAL, userId: 7 };
const BORIS = { portal: PORTAL, userId: 8 };
const NOVEMBER: Period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), tz: 'UTC' };

const onLine = (line: string | null, events: IncomingEvent[]): IncomingEvent[] =>
  events.map((event) => ({ ...event, data: { ...event.data, lineNumber: line } }) as IncomingEvent);

/** Three calls: Anna's two on "sales" (one with a known talk time), Boris's one on "support". */
async function storeThreeCalls(db: Driver): Promise<void> {
  await ingestEvents(
    db,
    ANNA,
    onLine('sales', [
      ...holdEvents({ callId: 't1', seq: 1, start: '2026-11-24T10:00:00.000Z', heldMs: 10_000 }),
      ...holdEvents({ callId: 't1', seq: 2, start: '2026-11-24T10:05:00.000Z', heldMs: 15_000, endedBy: 'hangup' }),
      summaryEvent('t1', '2026-11-24T10:06:00.000Z', 2, { answeredAt: '2026-11-24T09:59:00.000Z', talkMs: 100_000 }),
      // Another frame's summary of the same call, knowing less of it: the longer talk stands.
      {
        ...summaryEvent('t1', '2026-11-24T10:05:50.000Z', 2, {
          answeredAt: '2026-11-24T09:59:30.000Z',
          talkMs: 90_000,
        }),
        id: 'evt_t1_c2',
      },
      ...holdEvents({ callId: 't2', start: '2026-11-24T11:00:00.000Z', heldMs: 30_000 }),
      summaryEvent('t2', '2026-11-24T11:01:00.000Z', 1),
    ]),
  );
  await ingestEvents(
    db,
    BORIS,
    onLine('support', [
      ...holdEvents({ callId: 't3', start: '2026-11-25T12:00:00.000Z', heldMs: 20_000 }),
      summaryEvent('t3', '2026-11-25T12:01:00.000Z', 1, { answeredAt: '2026-11-25T11:58:00.000Z', talkMs: 200_000 }),
    ]),
  );
}

/** PostgreSQL's percentile_cont over exact lengths, and how far the report may be from it. */
function exactQuantile(lengths: readonly number[], q: number): { value: number; tolerance: number } {
  const sorted = [...lengths].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const [low, high] = [sorted[Math.floor(position)] ?? 0, sorted[Math.ceil(position)] ?? 0];
  return {
    value: low + (high - low) * (position - Math.floor(position)),
    tolerance: Math.max(QUANTILE_ACCURACY.absMs, QUANTILE_ACCURACY.relative * high),
  };
}

export function testTalkAndLines(dbOf: () => Driver): void {
  it('reports talk time and hold share over the calls with a known talk time, and counts the calls without one apart', async () => {
    const db = dbOf();
    await storeThreeCalls(db);
    const report = await periodReport(db, PORTAL, NOVEMBER);
    expect(report.quantileAccuracy).toEqual({ absMs: 1000, relative: 0.05 });
    // Held time of t2 (talk unknown) counts in heldMs but not in the share: (10 + 15 + 20) s / (100 + 200) s.
    expect(report.totals).toEqual({
      calls: 3,
      callsWithHolds: 3,
      holds: 4,
      heldMs: 75_000,
      avgHeldMs: 18_750,
      longestHeldMs: 30_000,
      endedWithCall: 1,
      talkMs: 300_000,
      holdShare: 0.15,
      callsWithoutTalk: 1,
      medianHeldMs: 17_500,
      p90HeldMs: 27_000,
    });
    expect(report.operators).toEqual([
      {
        userId: 7,
        calls: 2,
        callsWithHolds: 2,
        holds: 3,
        heldMs: 55_000,
        avgHeldMs: 18_333,
        longestHeldMs: 30_000,
        endedWithCall: 1,
        talkMs: 100_000,
        holdShare: 0.25,
        callsWithoutTalk: 1,
        medianHeldMs: 15_000,
        p90HeldMs: 27_000,
      },
      {
        userId: 8,
        calls: 1,
        callsWithHolds: 1,
        holds: 1,
        heldMs: 20_000,
        avgHeldMs: 20_000,
        longestHeldMs: 20_000,
        endedWithCall: 0,
        talkMs: 200_000,
        holdShare: 0.1,
        callsWithoutTalk: 0,
        medianHeldMs: 20_000,
        p90HeldMs: 20_000,
      },
    ]);
    expect(report.lines).toEqual([
      {
        lineNumber: 'sales',
        calls: 2,
        holds: 3,
        heldMs: 55_000,
        avgHeldMs: 18_333,
        endedWithCall: 1,
        talkMs: 100_000,
        holdShare: 0.25,
        callsWithoutTalk: 1,
        medianHeldMs: 15_000,
        p90HeldMs: 27_000,
      },
      {
        lineNumber: 'support',
        calls: 1,
        holds: 1,
        heldMs: 20_000,
        avgHeldMs: 20_000,
        endedWithCall: 0,
        talkMs: 200_000,
        holdShare: 0.1,
        callsWithoutTalk: 0,
        medianHeldMs: 20_000,
        p90HeldMs: 20_000,
      },
    ]);
  });

  it('gives no hold share while no talk time is known, and no median while no hold ended', async () => {
    const db = dbOf();
    await ingestEvents(db, ANNA, [
      holdEvents({ callId: 'open', start: '2026-11-24T10:00:00.000Z', heldMs: 0 })[0] as IncomingEvent,
    ]);
    const { totals, lines } = await periodReport(db, PORTAL, NOVEMBER);
    expect(totals).toMatchObject({
      holds: 1,
      talkMs: 0,
      holdShare: null,
      callsWithoutTalk: 1,
      medianHeldMs: null,
      p90HeldMs: null,
    });
    expect(lines).toMatchObject([{ lineNumber: 'reg151083', holds: 1, holdShare: null }]);
  });

  it('narrows every figure of the report and the holds list to one line', async () => {
    const db = dbOf();
    await storeThreeCalls(db);
    await ingestEvents(
      db,
      BORIS,
      onLine(null, holdEvents({ callId: 'none', start: '2026-11-24T10:30:00.000Z', heldMs: 4000 })),
    );
    const report = await periodReport(db, PORTAL, NOVEMBER, { lineNumber: 'sales', hours: true });
    expect(report.lineNumber).toBe('sales');
    expect(report.totals).toMatchObject({
      calls: 2,
      holds: 3,
      heldMs: 55_000,
      talkMs: 100_000,
      holdShare: 0.25,
      callsWithoutTalk: 1,
      medianHeldMs: 15_000,
    });
    expect(report.operators.map((o) => o.userId)).toEqual([7]);
    expect(report.lines.map((l) => l.lineNumber)).toEqual(['sales']);
    expect(report.days).toEqual([{ date: '2026-11-24', holds: 3, heldMs: 55_000 }]);
    expect(report.hours).toEqual([
      { hour: '2026-11-24T10', holds: 2, heldMs: 25_000 },
      { hour: '2026-11-24T11', holds: 1, heldMs: 30_000 },
    ]);
    // A period with ragged ends reads single rows at its ends: narrowed the same.
    const ragged = await periodReport(
      db,
      PORTAL,
      { from: new Date('2026-11-24T10:03:00Z'), to: new Date('2026-11-25T12:00:30Z'), tz: 'UTC' },
      { lineNumber: 'support' },
    );
    expect(ragged.totals).toMatchObject({ calls: 1, holds: 1, heldMs: 20_000, talkMs: 200_000, holdShare: 0.1 });
    const unknownLine = await periodReport(db, PORTAL, NOVEMBER);
    expect(unknownLine.lines.at(-1)).toMatchObject({
      lineNumber: null,
      calls: 1,
      holds: 1,
      heldMs: 4000,
      holdShare: null,
    });
    const list = { period: NOVEMBER, sort: 'recent' as const, limit: 100, userId: null };
    expect((await listHolds(db, PORTAL, { ...list, lineNumber: 'support' })).map((h) => h.callId)).toEqual(['t3']);
    expect(await listHolds(db, PORTAL, { ...list, lineNumber: 'nowhere' })).toEqual([]);
  });

  it("lists each hold with its line and its call's answer time and talk time, null while unknown", async () => {
    const db = dbOf();
    await storeThreeCalls(db);
    const rows = await listHolds(db, PORTAL, { period: NOVEMBER, sort: 'recent', limit: 100, userId: 7 });
    expect(
      rows.map(({ callId, lineNumber, answeredAt, talkMs }) => ({ callId, lineNumber, answeredAt, talkMs })),
    ).toEqual([
      { callId: 't2', lineNumber: 'sales', answeredAt: null, talkMs: null },
      { callId: 't1', lineNumber: 'sales', answeredAt: '2026-11-24T09:59:00.000Z', talkMs: 100_000 },
      { callId: 't1', lineNumber: 'sales', answeredAt: '2026-11-24T09:59:00.000Z', talkMs: 100_000 },
    ]);
  });

  it('gives medians and 90th percentiles within the stated accuracy of the exact ones, over days, quarters and single rows', async () => {
    const db = dbOf();
    const lengths: Record<number, number[]> = { 7: [], 8: [] };
    const period: Period = { from: new Date('2026-11-20T03:07:00Z'), to: new Date('2026-11-27T18:52:00Z'), tz: 'UTC' };
    for (const [who, sender] of [
      [7, ANNA],
      [8, BORIS],
    ] as const) {
      const events: IncomingEvent[] = [];
      for (let i = 0; i < 150; i++) {
        // 300 ms to about an hour, spread over days, quarters and the period's ragged ends.
        const heldMs = Math.round(300 * 1.065 ** ((i * 37 + who) % 150)) + i;
        const start = new Date(Date.parse('2026-11-20T03:00:00Z') + i * 4_400_000 + who * 60_000).toISOString();
        events.push(...holdEvents({ callId: `m${who}-${i}`, start, heldMs }));
        if (Date.parse(start) >= period.from.getTime() && Date.parse(start) < period.to.getTime())
          lengths[who]?.push(heldMs);
      }
      for (let i = 0; i < events.length; i += 100) await ingestEvents(db, sender, events.slice(i, i + 100));
    }
    const report = await periodReport(db, PORTAL, period);
    const check = (figures: { medianHeldMs: number | null; p90HeldMs: number | null }, all: number[]) => {
      for (const [q, got] of [
        [0.5, figures.medianHeldMs],
        [0.9, figures.p90HeldMs],
      ] as const) {
        const { value, tolerance } = exactQuantile(all, q);
        expect(Math.abs((got ?? Number.NaN) - value), `q=${q}: ${got} vs ${value}`).toBeLessThanOrEqual(tolerance);
      }
    };
    expect(report.totals.holds).toBe((lengths[7]?.length ?? 0) + (lengths[8]?.length ?? 0));
    check(report.totals, [...(lengths[7] ?? []), ...(lengths[8] ?? [])]);
    for (const operator of report.operators) check(operator, lengths[operator.userId] ?? []);
  }, 60_000);

  it('moves rows stored before migration 010 into the talk times, lines and histograms (sums rebuilt by 012)', async () => {
    const db = dbOf();
    const outcome = db.transaction(async (tx) => {
      await tx.exec('CREATE SCHEMA before_010; SET LOCAL search_path TO before_010');
      for (const migration of readMigrations().filter((m) => m.version < 10)) await tx.exec(migration.sql);
      await tx.exec(`
        INSERT INTO events (portal, event_id, type, user_id, call_key, occurred_at, data) VALUES
          ('${PORTAL}', 'e1', 'hold.started', 7, 'x', '2026-11-24T10:00:00Z', '{"holdSeq": 1, "lineNumber": "sales"}'),
          ('${PORTAL}', 'e2', 'hold.ended', 7, 'x', '2026-11-24T10:01:00Z', '{"holdSeq": 1, "lineNumber": "sales"}'),
          ('${PORTAL}', 'e3', 'call.summary', 7, 'x', '2026-11-24T10:05:00Z', '{"lineNumber": "sales", "answeredAt": "2026-11-24T09:55:00.000Z", "talkMs": 600000}'),
          ('${PORTAL}', 'e4', 'hold.started', 8, 'y', '2026-11-24T10:20:00Z', '{"holdSeq": 1}'),
          ('${PORTAL}', 'e5', 'hold.ended', 8, 'y', '2026-11-24T10:20:05Z', '{"holdSeq": 1}');
        INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, started_at, ended_at, held_ms, ended_by) VALUES
          ('${PORTAL}', 'x', 1, 7, 'x', '2026-11-24T10:00:00Z', '2026-11-24T10:01:00Z', 60000, 'resume'),
          ('${PORTAL}', 'y', 1, 8, 'y', '2026-11-24T10:20:00Z', '2026-11-24T10:20:05Z', 5000, 'hangup');
        INSERT INTO calls (portal, call_key, user_id, first_at, last_at, first_hold_at) VALUES
          ('${PORTAL}', 'x', 7, '2026-11-24T10:00:00Z', '2026-11-24T10:05:00Z', '2026-11-24T10:00:00Z'),
          ('${PORTAL}', 'y', 8, '2026-11-24T10:20:00Z', '2026-11-24T10:20:05Z', '2026-11-24T10:20:00Z');`);
      // As a server brings such a database up to date: 010 and every file after it, in one transaction.
      for (const migration of readMigrations().filter((m) => m.version >= 10)) await tx.exec(migration.sql);
      const report = await periodReport(tx, PORTAL, NOVEMBER);
      throw Object.assign(new Error('rolled back'), { seen: report });
    });
    const error = await outcome.catch((e: unknown) => e as { seen?: Awaited<ReturnType<typeof periodReport>> });
    expect(error.seen?.totals).toEqual({
      calls: 2,
      callsWithHolds: 2,
      holds: 2,
      heldMs: 65_000,
      avgHeldMs: 32_500,
      longestHeldMs: 60_000,
      endedWithCall: 1,
      talkMs: 600_000,
      holdShare: 0.1,
      callsWithoutTalk: 1,
      medianHeldMs: 32_500,
      p90HeldMs: 54_500,
    });
    expect(error.seen?.lines).toMatchObject([
      { lineNumber: 'sales', calls: 1, holds: 1, medianHeldMs: 60_000 },
      { lineNumber: null, calls: 1, holds: 1 },
    ]);
  });
}
