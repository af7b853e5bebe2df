// @vitest-environment node
// Runs against the PostgreSQL server named by DATABASE_URL (CI starts a throwaway one), in a schema
// of its own that is dropped and made anew first.
import { describe, it } from 'vitest';
import { openDatabase } from '../../../../src/server/db/index.ts';
import postgresDriver from '../../../../src/server/db/postgres.ts';
import { testStorage } from '../../../support/storage-conformance.ts';

const url = process.env.DATABASE_URL;
const SCHEMA = 'storage_conformance';

if (url) {
  const inSchema = new URL(url);
  inSchema.searchParams.set('options', `-c search_path=${SCHEMA}`);
  testStorage({
    name: 'postgres',
    async open() {
      const bare = await postgresDriver({ url });
      await bare.exec(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
      await bare.close();
      return openDatabase({ databaseUrl: inSchema.href, dataDir: '' });
    },
    openAnother: () => postgresDriver({ url: inSchema.href }),
  });
} else {
  describe('storage conformance: postgres', () => {
    it.skip('needs DATABASE_URL=postgres://... (a throwaway database: its tables are dropped); .ci/run starts one', () =>
      undefined);
  });
}
