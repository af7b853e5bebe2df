// @vitest-environment node
// The database notice store passes the notice store suite on the embedded database and, with
// DATABASE_URL, on PostgreSQL, there with two connection pools as two servers would have.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openDatabase, type Driver } from '../../../../src/server/db/index.ts';
import postgresDriver from '../../../../src/server/db/postgres.ts';
import { createDatabaseNoticeStore } from '../../../../src/server/notices/database-store.ts';
import { testNoticeStore } from '../../../support/notice-store-conformance.ts';
import { useEmbeddedDatabase } from '../../../support/embedded-database.ts';

describe('on the embedded database', () => {
  const embedded = useEmbeddedDatabase('relay-notices-');
  testNoticeStore({
    name: 'pglite',
    create: (bounds) => createDatabaseNoticeStore(embedded.db, bounds),
    reset: () => embedded.db.exec('TRUNCATE placement_errors'),
    // One embedded database has one connection: a second store on it is what a second server would see.
    another: (bounds) => createDatabaseNoticeStore(embedded.db, bounds),
  });
});

const url = process.env.DATABASE_URL;
const SCHEMA = 'notice_conformance';

if (url) {
  describe('on PostgreSQL', () => {
    const inSchema = new URL(url);
    inSchema.searchParams.set('options', `-c search_path=${SCHEMA}`);
    let db: Driver;
    let other: Driver;
    beforeAll(async () => {
      const bare = await postgresDriver({ url });
      await bare.exec(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
      await bare.close();
      db = await openDatabase({ databaseUrl: inSchema.href, dataDir: '' });
      other = await postgresDriver({ url: inSchema.href });
    });
    afterAll(async () => {
      await other?.close();
      await db?.close();
    });
    testNoticeStore({
      name: 'postgres',
      create: (bounds) => createDatabaseNoticeStore(db, bounds),
      reset: () => db.exec('TRUNCATE placement_errors'),
      another: (bounds) => createDatabaseNoticeStore(other, bounds),
    });
  });
} else {
  describe('notice store conformance: postgres', () => {
    it.skip('needs DATABASE_URL=postgres://... (a throwaway database: its tables are dropped); .ci/run starts one', () =>
      undefined);
  });
}
