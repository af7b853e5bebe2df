// @vitest-environment node
// The embedded database's daily upkeep: every table vacuumed and analysed, each in a statement of
// its own; nothing scheduled on PostgreSQL, which has autovacuum; failures reported, not thrown.
import { describe, expect, it } from 'vitest';
import type { Driver } from '../../../../src/server/db/index.ts';
import { ingestEvents } from '../../../../src/server/holds/ingest.ts';
import { scheduleUpkeep, vacuumTables, type TableUpkeep } from '../../../../src/server/db/upkeep.ts';
import { holdEvents } from '../../../support/hold-events.ts';
import { useEmbeddedDatabase } from '../../../support/embedded-database.ts';

const embedded = useEmbeddedDatabase('relay-upkeep-');

type TableStats = { table: string; vacuumed: boolean; analysed: boolean };
const tableStats = async (db: Driver): Promise<TableStats[]> =>
  db.query<TableStats>(
    'SELECT relname AS table, last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analysed FROM pg_stat_user_tables ORDER BY relname',
  );

describe('upkeep of the embedded database', () => {
  it('vacuums and analyses every table, one statement each, and the planner then knows the row counts', async () => {
    const { db } = embedded;
    await ingestEvents(
      db,
      { portal: 'acme.bitrix24.com', userId: 7 },
      holdEvents({ callId: 'u1', start: '2026-11-24T10:00:00.000Z', heldMs: 4000 }),
    );
    const before = await tableStats(db);
    expect(before.length).toBeGreaterThan(5);
    expect(before.filter((t) => t.vacuumed || t.analysed)).toEqual([]);
    expect(
      (await db.query<{ n: number }>("SELECT reltuples::int AS n FROM pg_class WHERE relname = 'holds'"))[0]?.n,
    ).toBe(-1);

    const done = await vacuumTables(db);
    expect(done.map((t) => t.table)).toEqual(before.map((t) => t.table));
    expect(await tableStats(db)).toEqual(before.map((t) => ({ ...t, vacuumed: true, analysed: true })));
    expect(
      (await db.query<{ n: number }>("SELECT reltuples::int AS n FROM pg_class WHERE relname = 'holds'"))[0]?.n,
    ).toBe(1);
  });

  it('runs on the embedded database only, first after a delay and then repeatedly, and reports a failure', async () => {
    const outcomes: (TableUpkeep[] | Error)[] = [];
    const stop = scheduleUpkeep(embedded.db, (outcome) => outcomes.push(outcome), { firstAfterMs: 30, everyMs: 60 });
    try {
      await expect.poll(() => outcomes.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    } finally {
      stop();
    }
    expect(outcomes.every((o) => Array.isArray(o) && o.length > 5)).toBe(true);

    let asked = 0;
    const server = { name: 'postgres', query: () => Promise.resolve(asked++) } as unknown as Driver;
    const none: unknown[] = [];
    const stopServer = scheduleUpkeep(server, (outcome) => none.push(outcome), { firstAfterMs: 1, everyMs: 1 });
    const failing = {
      name: 'pglite',
      query: () => Promise.reject(new Error('the database thread stopped')),
    } as unknown as Driver;
    const failures: (TableUpkeep[] | Error)[] = [];
    const stopFailing = scheduleUpkeep(failing, (outcome) => failures.push(outcome), {
      firstAfterMs: 1,
      everyMs: 10_000,
    });
    await expect.poll(() => failures.length).toBe(1);
    stopFailing();
    expect((failures[0] as Error).message).toBe('the database thread stopped');
    // The server's schedule was made first with the same delay: had it a run, it would have come before the failure.
    expect([asked, none]).toEqual([0, []]);
    stopServer();
  });
});
