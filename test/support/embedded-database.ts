// An embedded database for the tests of one file or block, in a temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Driver } from '../../src/server/db/index.ts';
import { freshPgliteDir } from './pglite-template.ts';

/**
 * For a test file or describe block: an embedded database, migrated, in a temporary directory,
 * opened before its tests and removed after them. Read `.db` inside the tests.
 */
export function useEmbeddedDatabase(prefix = 'relay-db-'): { readonly db: Driver } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  let db: Driver | undefined;
  beforeAll(async () => {
    await freshPgliteDir(dataDir);
    db = await openDatabase({ databaseUrl: null, dataDir });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get db(): Driver {
      if (!db) throw new Error('the embedded database is opened in beforeAll: use it inside a test');
      return db;
    },
  };
}
