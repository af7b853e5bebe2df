// A fresh PGlite database costs an initdb (seconds to tens of seconds on a busy machine); a copy of
// an empty one opens in about one. The template is made once per PGlite version in the temp folder.
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const version = (JSON.parse(readFileSync(join(import.meta.dirname, '../../node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
const TEMPLATE = join(tmpdir(), `relay-pglite-template-${version}`);

/** Makes `target` an empty PGlite database directory. */
export async function freshPgliteDir(target: string): Promise<void> {
  if (!existsSync(TEMPLATE)) {
    const building = mkdtempSync(`${TEMPLATE}.building-`);
    const db = await PGlite.create(building);
    await db.close();
    try {
      renameSync(building, TEMPLATE);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another test file made it first
    }
  }
  cpSync(TEMPLATE, target, { recursive: true });
}
