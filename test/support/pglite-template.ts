// A fresh PGlite database costs an initdb (seconds to tens of seconds on a busy machine) and then the
// migrations (about a second); a copy of one made once opens in about one. The template is made once
// per PGlite version and set of migrations, in the temp folder, by opening it as the server does.
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/server/db/index.ts';
import { readMigrations } from '../../src/server/db/migrate.ts';

const version = (
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string }
).version;
const migrations = createHash('sha256').update(JSON.stringify(readMigrations())).digest('hex').slice(0, 12);
const TEMPLATE = join(tmpdir(), `relay-pglite-template-${version}-${migrations}`);

/** Makes `target` a PGlite database directory with every migration applied and no rows. */
export async function freshPgliteDir(target: string): Promise<void> {
  if (!existsSync(TEMPLATE)) {
    const building = mkdtempSync(`${TEMPLATE}.building-`);
    const db = await openDatabase({ databaseUrl: null, dataDir: building });
    await db.close();
    try {
      renameSync(building, TEMPLATE);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another test file made it first
    }
  }
  // Without the files of template0 and template1 (base/1 and base/4; ours is base/5): 14 of the
  // 39 MB and 600 of the 970 files. They are read only by CREATE DATABASE, which nothing here runs,
  // and the copy takes 0.4 s instead of 0.7 to 0.9.
  const templates = new Set([join(TEMPLATE, 'base', '1'), join(TEMPLATE, 'base', '4')]);
  cpSync(TEMPLATE, target, { recursive: true, filter: (source) => !templates.has(source) });
}
