// @vitest-environment node
// The webhook queue's rules on the embedded database and, with DATABASE_URL, on PostgreSQL (in a
// schema of its own, dropped and made anew first).
import { describe, it } from 'vitest';
import { openDatabase } from '../../../../src/server/db/index.ts';
import postgresDriver from '../../../../src/server/db/postgres.ts';
import { useEmbeddedDatabase } from '../../../support/embedded-database.ts';
import { testWebhookQueue } from '../../../support/webhook-queue-conformance.ts';

const embedded = useEmbeddedDatabase('relay-queue-');
testWebhookQueue('pglite', async () => {
  const { db } = embedded;
  // The suite closes what it opens; the embedded database is closed by its own afterAll.
  return {
    ...db,
    query: db.query.bind(db),
    exec: db.exec.bind(db),
    transaction: db.transaction.bind(db),
    close: async () => undefined,
  };
});

const url = process.env.DATABASE_URL;
const SCHEMA = 'webhook_queue_conformance';
if (url) {
  const inSchema = new URL(url);
  inSchema.searchParams.set('options', `-c search_path=${SCHEMA}`);
  testWebhookQueue(
    'postgres',
    async () => {
      const bare = await postgresDriver({ url });
      await bare.exec(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
      await bare.close();
      return openDatabase({ databaseUrl: inSchema.href, dataDir: '' });
    },
    () => postgresDriver({ url: inSchema.href }),
  );
} else {
  describe('webhook queue: postgres', () => {
    it.skip('needs DATABASE_URL=postgres://... (a throwaway database: its tables are dropped)', () => undefined);
  });
}
