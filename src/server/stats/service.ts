// The statistics as the server runs them: the database opened and migrated, the live hub, and the
// daily retention purge. Opened once at start; closed when the server closes.
import { openDatabase, type DatabaseSettings, type Driver } from '../db/index.ts';
import { createIngestQueue, type IngestQueue } from './ingest-queue.ts';
import { createLiveHub, type LiveHub } from './live.ts';
import { scheduleRetention } from './retention.ts';

export interface StatsSettings extends DatabaseSettings {
  retentionDays: number;
}

export interface Statistics {
  db: Driver;
  /** Stores batches, many to a transaction. */
  ingest: IngestQueue;
  live: LiveHub;
  close(): Promise<void>;
}

export async function openStatistics(settings: StatsSettings, warn: (line: string) => void): Promise<Statistics> {
  const db = await openDatabase(settings);
  const live = await createLiveHub(db);
  const stopRetention = scheduleRetention(db, settings.retentionDays, (outcome) => {
    if (outcome instanceof Error) warn(`statistics: the retention purge failed: ${outcome.message}`);
  });
  return {
    db,
    ingest: createIngestQueue(db),
    live,
    async close() {
      stopRetention();
      await live.close().catch(() => undefined);
      await db.close();
    },
  };
}
