// @vitest-environment node
// The background refresh of the report sums: it catches up after ingest, and an outage is said once.
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../../../src/server/db/index.ts';
import { ingestEvents } from '../../../../src/server/holds/ingest.ts';
import { startSumsRefresher } from '../../../../src/server/holds/sums-refresher.ts';
import { holdEvents } from '../../../support/hold-events.ts';
import { useEmbeddedDatabase } from '../../../support/embedded-database.ts';

const embedded = useEmbeddedDatabase('relay-refresher-');
const stale = async (): Promise<number> =>
  (await embedded.db.query<{ n: number }>('SELECT count(*)::int AS n FROM stale_quarters'))[0]?.n ?? -1;

describe('the sums refresher', () => {
  it('brings the sums up to date on its own after ingest, and stops cleanly', async () => {
    const { db } = embedded;
    await ingestEvents(
      db,
      { portal: 'acme.bitrix24.com', userId: 7 },
      holdEvents({ callId: 'c1', start: '2026-11-24T10:00:00.000Z', heldMs: 4000 }),
    );
    expect(await stale()).toBeGreaterThan(0);
    const warnings: string[] = [];
    const refresher = startSumsRefresher(db, (line) => warnings.push(line), 50);
    try {
      await expect.poll(stale, { timeout: 5000, interval: 50 }).toBe(0);
      expect(await db.query('SELECT holds, held_ms::int FROM hold_days')).toEqual([{ holds: 1, held_ms: 4000 }]);
    } finally {
      await refresher.stop();
    }
    expect(warnings).toEqual([]);
  });

  it('says once that it fails while the database does, and keeps trying', async () => {
    let calls = 0;
    const failing: Queryable = {
      query: () => {
        calls++;
        return Promise.reject(new Error('connection refused'));
      },
      exec: () => Promise.reject(new Error('connection refused')),
    };
    const warnings: string[] = [];
    const refresher = startSumsRefresher(failing, (line) => warnings.push(line), 20);
    try {
      await expect.poll(() => calls, { timeout: 5000, interval: 20 }).toBeGreaterThanOrEqual(3);
    } finally {
      await refresher.stop();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/report sums up to date failed, trying again every 20 ms: connection refused/);
  });
});
