import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../../../src/server/db/index.ts';
import { BadBatchError, createIngestQueue, refusesData } from '../../../../src/server/holds/ingest-queue.ts';
import { holdEvents } from '../../../support/hold-events.ts';

const SENDER = { portal: 'acme.bitrix24.com', userId: 7 };
const batch = (callId: string) => ({
  sender: SENDER,
  events: holdEvents({ callId, start: '2031-06-15T08:00:00.000Z', heldMs: 1 }),
});

/** A database that is down: every statement fails as a lost connection does, without an SQLSTATE. */
const down = (): Queryable & { statements: number } => {
  const db = {
    statements: 0,
    query: async () => {
      db.statements++;
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    },
    exec: async () => undefined,
  };
  return db;
};

describe('the ingest queue', () => {
  it("fails every batch with the database's own error when the database is down, and tries the group once", async () => {
    const db = down();
    const queue = createIngestQueue(db);
    const outcomes = await Promise.allSettled([batch('a'), batch('b'), batch('c')].map((b) => queue.submit(b)));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect(outcome.status === 'rejected' && outcome.reason).not.toBeInstanceOf(BadBatchError);
    }
    // The first batch alone, then the two that waited, as one group: never batch by batch.
    expect(db.statements).toBe(2);
  });

  it("takes PostgreSQL's data exceptions and exceeded limits for a refused batch, and anything else for the database failing", () => {
    expect(refusesData(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }))).toBe(true);
    expect(refusesData(Object.assign(new Error('stack depth limit exceeded'), { code: '54001' }))).toBe(true);
    expect(refusesData(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(false);
    expect(refusesData(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(false);
    expect(refusesData(new Error('the database is closed'))).toBe(false);
  });
});
