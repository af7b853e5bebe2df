// Applies the numbered SQL files of ./migrations in order, each once, recording them in
// schema_migrations. One transaction holds PostgreSQL's advisory lock, so servers starting
// together against one database apply each file exactly once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Driver } from './driver.ts';

export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');
/** Any constant shared by every instance of this app; names the lock in pg_locks. */
const MIGRATION_LOCK = 72_240_013;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migration files, `NNN_name.sql`, sorted by number. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d+_[\w-]+\.sql$/.test(file))
    .map((file) => ({ version: Number.parseInt(file, 10), name: file, sql: readFileSync(join(dir, file), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

/** Applies what is missing; resolves to the names applied now. */
export async function migrate(driver: Driver, migrations = readMigrations()): Promise<string[]> {
  return driver.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.name);
    }
    return applied;
  });
}
