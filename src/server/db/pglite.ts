// The embedded driver: PostgreSQL compiled to WebAssembly (PGlite), its files in one directory.
// One process owns the directory; PGlite runs one statement at a time and queues the rest.
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { driverError, type Driver, type Queryable } from './driver.ts';

export const DRIVER_NAME = 'pglite';

export interface PgliteOptions {
  /** The database directory (created when missing), or `memory://` for a throwaway database. */
  dataDir: string;
}

const wrap = (db: PGlite | Transaction): Queryable => ({
  async query<Row>(sql: string, params: readonly unknown[] = []) {
    return (await db.query<Row>(sql, [...params])).rows;
  },
  async exec(sql: string) {
    await db.exec(sql);
  },
});

export default async function pgliteDriver(options: PgliteOptions): Promise<Driver> {
  if (!options.dataDir) throw driverError(DRIVER_NAME, 'dataDir is required');
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  let db: PGlite;
  try {
    // On Node the database directory is mounted directly (NODEFS): each write reaches its file as
    // PostgreSQL makes it. What relaxed durability skips is PGlite's wait, after every statement,
    // on a filesystem sync that only its in-memory and browser stores need; it costs ~5 ms a statement.
    db = await PGlite.create(options.dataDir, { relaxedDurability: true });
  } catch (error) {
    throw driverError(DRIVER_NAME, `cannot open the database in ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  return {
    name: DRIVER_NAME,
    ...wrap(db),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    async listen(channel, onPayload) {
      const unlisten = await db.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => (db.closed ? Promise.resolve() : db.close()),
  };
}
