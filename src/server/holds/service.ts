// The statistics as the server runs them: the database opened, migrated and warmed up, the live
// hub, the report sums kept up to date, and the daily retention purge. Opened once at start; closed
// when the server closes.
import { openDatabase, type DatabaseSettings, type Driver } from '../db/index.ts';
import { createIngestQueue, type IngestQueue } from './ingest-queue.ts';
import { createLiveHub, type LiveHub } from './live.ts';
import { scheduleRetention } from './retention.ts';
import { scheduleUpkeep } from '../db/upkeep.ts';
import { startSumsRefresher } from './sums-refresher.ts';
import { DEFAULT_WARM_UP, warmUp } from '../db/warm-up.ts';

export interface StatsSettings extends DatabaseSettings {
  retentionDays: number;
  /** How long at most to warm the database up before the server takes requests; 0: not at all. */
  warmUpMs: number;
  /** Events a portal may store per UTC day (default DEFAULT_EVENTS_PER_PORTAL_DAY). */
  eventsPerPortalDay?: number;
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
  const warmed =
    settings.warmUpMs > 0 ? await warmUp(db, { ...DEFAULT_WARM_UP, budgetMs: settings.warmUpMs }) : { groups: 0 };
  if ('error' in warmed) warn(`statistics: the warm-up stopped after ${warmed.groups} groups: ${warmed.error}`);
  const live = await createLiveHub(db);
  const stopRetention = scheduleRetention(db, settings.retentionDays, (outcome) => {
    if (outcome instanceof Error) warn(`statistics: the retention purge failed: ${outcome.message}`);
  });
  const stopUpkeep = scheduleUpkeep(db, (outcome) => {
    if (outcome instanceof Error) warn(`statistics: vacuuming the embedded database failed: ${outcome.message}`);
  });
  const refresher = startSumsRefresher(db, warn);
  return {
    db,
    ingest: createIngestQueue(db, { eventsPerPortalDay: settings.eventsPerPortalDay }),
    live,
    async close() {
      stopRetention();
      stopUpkeep();
      await refresher.stop();
      await live.close().catch(() => undefined);
      await db.close();
    },
  };
}
