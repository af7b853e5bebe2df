// @vitest-environment node
// Runs against the PostgreSQL server named by DATABASE_URL (CI starts a throwaway one); its tables are dropped first.
import { describe, it } from 'vitest';
import { openDatabase } from '../../../../src/server/db/index.ts';
import postgresDriver from '../../../../src/server/db/postgres.ts';
import { testStorage } from '../../../support/storage-conformance.ts';

const url = process.env.DATABASE_URL;

if (url) {
  testStorage({
    name: 'postgres',
    async open() {
      const bare = await postgresDriver({ url });
      await bare.exec('DROP TABLE IF EXISTS events, holds, calls, placement_errors, webhook_attempts, webhook_deliveries, webhooks, schema_migrations CASCADE');
      await bare.close();
      return openDatabase({ databaseUrl: url, dataDir: '' });
    },
    openAnother: () => postgresDriver({ url }),
  });
} else {
  describe('storage conformance: postgres', () => {
    it.skip('needs DATABASE_URL=postgres://... (a throwaway database: its tables are dropped); .ci/run starts one', () => undefined);
  });
}
