// @vitest-environment node
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configProblems } from '../../support/config-problems.ts';
import { parseServerConfig } from '../../../src/server/config.ts';

const problemsOf = configProblems;

describe('statistics settings', () => {
  it('turns statistics on with the embedded database in ./data, kept 180 days, by default', () => {
    expect(parseServerConfig({})).toMatchObject({
      stats: true,
      dataDir: resolve('data'),
      databaseUrl: null,
      retentionDays: 180,
    });
  });

  it('reads STATS, DATA_DIR, DATABASE_URL and RETENTION_DAYS', () => {
    expect(
      parseServerConfig({
        STATS: 'off',
        DATA_DIR: '/var/lib/relay',
        DATABASE_URL: 'postgres://relay:pw@db:5432/relay',
        RETENTION_DAYS: '30',
      }),
    ).toMatchObject({
      stats: false,
      dataDir: '/var/lib/relay',
      databaseUrl: 'postgres://relay:pw@db:5432/relay',
      retentionDays: 30,
    });
    expect(parseServerConfig({ STATS: 'on' }).stats).toBe(true);
  });

  it('warms the database up for 3 s at most by default, and reads WARM_UP_MS (0 skips it)', () => {
    expect(parseServerConfig({}).warmUpMs).toBe(3000);
    expect(parseServerConfig({ WARM_UP_MS: '0' }).warmUpMs).toBe(0);
    expect(() => parseServerConfig({ WARM_UP_MS: '-1' })).toThrow(
      /WARM_UP_MS="-1": must be a whole number of milliseconds from 0 \(none\) to 60000/,
    );
  });

  it('lets a portal store 100,000 events a day by default, and reads EVENTS_PER_PORTAL_DAY', () => {
    expect(parseServerConfig({}).eventsPerPortalDay).toBe(100_000);
    expect(parseServerConfig({ EVENTS_PER_PORTAL_DAY: '250' }).eventsPerPortalDay).toBe(250);
    for (const bad of ['0', '-5', 'lots', '1.5', '100000001']) {
      expect(problemsOf({ EVENTS_PER_PORTAL_DAY: bad })).toContain(
        `EVENTS_PER_PORTAL_DAY="${bad}": must be a whole number of events from 1 to 100000000`,
      );
    }
  });

  it('names every bad statistics variable at once and never echoes the database URL', () => {
    const message = problemsOf({ STATS: 'maybe', RETENTION_DAYS: '0', DATABASE_URL: 'mysql://root:hunter2@db/relay' });
    expect(message).toMatch(/3 problems/);
    expect(message).toContain('STATS="maybe": must be on or off');
    expect(message).toContain('RETENTION_DAYS="0"');
    expect(message).toContain('DATABASE_URL (value not shown)');
    expect(message).not.toContain('hunter2');
  });
});
