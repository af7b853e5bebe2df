// Seeds the statistics database with a million holds in one SQL statement per table
// (generate_series), so the report benchmark measures queries over a realistic volume.
import type { Driver } from '../../src/server/db/index.ts';
import { rebuildRollups } from '../../src/server/holds/rollups.ts';

export interface SeedOptions {
  portal: string;
  holds: number;
  /** Spread over this many days before now (the retention period). */
  days: number;
  operators: number;
  /** Operator user ids start here. */
  firstUserId: number;
}

/**
 * Two holds per call, operators in turn, hold lengths from 1 s to 2 min, one in 20 ended by a hang-up;
 * calls on three lines in turn, talked 1 to 10 min, one in ten with no known talk time.
 */
export async function seedHolds(db: Driver, o: SeedOptions): Promise<void> {
  const stepMs = (o.days * 86_400_000) / o.holds;
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, started_at, ended_at, held_ms, ended_by, crm_entity_type, crm_entity_id, phone_number, line_number)
     SELECT $1, 'call-' || (i / 2), (i % 2) + 1, $2 + ((i / 2) % $3), 'call-' || (i / 2), started, started + held * interval '1 millisecond', held,
            CASE WHEN i % 20 = 0 THEN 'hangup' WHEN i % 50 = 1 THEN 'close' ELSE 'resume' END,
            'CONTACT', i, '+1900' || lpad((i % 10000000)::text, 7, '0'), 'line-' || ((i / 2) % 3)
     FROM (SELECT i, now() - (i * $4::float8) * interval '1 millisecond' AS started, 1000 + (i::bigint * 7919) % 119000 AS held
           FROM generate_series(0, $5::int - 1) AS i) AS s`,
      [o.portal, o.firstUserId, o.operators, stepMs, o.holds],
    );
    await tx.query(
      `INSERT INTO calls (portal, call_key, user_id, first_at, last_at, line_number, answered_at, talk_ms)
     SELECT $1, 'call-' || c, $2 + (c % $3), first_at, now() - (2 * c * $4::float8) * interval '1 millisecond', 'line-' || (c % 3),
            CASE WHEN c % 10 = 9 THEN NULL ELSE first_at END, CASE WHEN c % 10 = 9 THEN NULL ELSE 60000 + (c::bigint * 104729) % 540000 END
     FROM (SELECT c, now() - ((2 * c + 1) * $4::float8 + 200000) * interval '1 millisecond' AS first_at FROM generate_series(0, $5::int / 2 - 1) AS c) AS s`,
      [o.portal, o.firstUserId, o.operators, stepMs, o.holds],
    );
  });
  await rebuildRollups(db, o.portal);
  await db.exec('ANALYZE holds; ANALYZE calls; ANALYZE hold_quarters; ANALYZE call_quarters');
}
