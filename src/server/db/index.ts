// Picks the database from the settings: a PostgreSQL server when a URL is given, else the embedded
// one in a directory. Opening also applies the migrations.
import { markDatabaseErrors } from './database-error.ts';
import type { Driver } from './driver.ts';
import { migrate } from './migrate.ts';
import pgliteDriver from './pglite.ts';
import postgresDriver from './postgres.ts';

export type { Driver, Queryable } from './driver.ts';
export { DatabaseError } from './database-error.ts';

export interface DatabaseSettings {
  /** `postgres://...`, or null for the embedded database. */
  databaseUrl: string | null;
  /** The embedded database's directory. */
  dataDir: string;
}

const DRIVERS = {
  pglite: (settings: DatabaseSettings) => pgliteDriver({ dataDir: settings.dataDir }),
  postgres: (settings: DatabaseSettings) => postgresDriver({ url: settings.databaseUrl ?? '' }),
} as const;

export async function openDatabase(settings: DatabaseSettings): Promise<Driver> {
  const driver = await DRIVERS[settings.databaseUrl ? 'postgres' : 'pglite'](settings);
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
  return markDatabaseErrors(driver);
}
