// @vitest-environment node
// The embedded database's commits reach the disk: PostgreSQL's fsync() of the WAL at COMMIT goes
// through to the operating system (PGlite's own file system on Node had none, and PGlite ran with fsync off).
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/server/db/index.ts';
import { openPglite } from '../../../../src/server/db/pglite-open.js';
import pgliteDriver from '../../../../src/server/db/pglite.ts';
import { POSTGRES_SETTINGS } from '../../../../src/server/db/pglite-settings.ts';
import { freshPgliteDir } from '../../../support/pglite-template.ts';

const scratch = mkdtempSync(join(tmpdir(), 'relay-durable-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the embedded database on the disk', () => {
  it('fsyncs the WAL before a committed INSERT returns, and nothing while a transaction is still open', async () => {
    const dataDir = join(scratch, 'wal');
    await freshPgliteDir(dataDir);
    const synced: string[] = [];
    const db = await openPglite(dataDir, POSTGRES_SETTINGS, (fd) => synced.push(readlinkSync(`/proc/self/fd/${fd}`)));
    try {
      await db.exec('CREATE TABLE kept (id int PRIMARY KEY)');
      await db.exec('BEGIN');
      synced.length = 0;
      await db.query('INSERT INTO kept VALUES (1)');
      expect(synced).toEqual([]);
      await db.exec('COMMIT');
      expect(synced.some((path) => path.startsWith(join(dataDir, 'pg_wal')))).toBe(true);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('runs with fsync on, the WAL flushed by fsync(), and 16 MB of shared buffers', async () => {
    const dataDir = join(scratch, 'settings');
    await freshPgliteDir(dataDir);
    const db = await openDatabase({ databaseUrl: null, dataDir });
    try {
      const rows = await db.query<{ name: string; setting: string }>(
        "SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('fsync', 'wal_sync_method', 'synchronous_commit', 'shared_buffers') ORDER BY name",
      );
      expect(rows).toEqual([
        { name: 'fsync', setting: 'on' },
        { name: 'shared_buffers', setting: '16MB' },
        { name: 'synchronous_commit', setting: 'on' },
        { name: 'wal_sync_method', setting: 'fsync' },
      ]);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('creates a database in an empty directory, and opens it again with its rows', async () => {
    const dataDir = join(scratch, 'new');
    const first = await openDatabase({ databaseUrl: null, dataDir });
    await first.exec('CREATE TABLE kept (id int PRIMARY KEY); INSERT INTO kept VALUES (7)');
    await first.close();
    const again = await openDatabase({ databaseUrl: null, dataDir });
    try {
      expect(await again.query('SELECT id FROM kept')).toEqual([{ id: 7 }]);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('says it cannot create the database, and where, when the new files cannot be written', async () => {
    const dataDir = join(scratch, 'blocked');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'pg_wal'), 'a file where the WAL directory goes');
    await expect(pgliteDriver({ dataDir })).rejects.toThrow(
      `[stats] [pglite] cannot create the database in ${dataDir}`,
    );
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
  }, 120_000);
});
