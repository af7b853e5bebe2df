// @ts-check
// Creates a new embedded database (PostgreSQL's initdb) in the directory named by the first argument,
// with the settings given as JSON in the second, writes it to the disk and exits: 0 done, 1 failed
// (the reason on stderr). A process of its own, run once per DATA_DIR: initdb runs a second
// PostgreSQL inside PGlite, whose memory (400 MB) PGlite keeps while it lives, and only a process
// that ends gives all of it back to the system.
import process from 'node:process';
import { openPglite, syncTree } from './pglite-open.js';

const [dataDir, settings] = process.argv.slice(2);
try {
  if (!dataDir || !settings) throw new Error('usage: pglite-create.js <dataDir> <settings as JSON>');
  const db = await openPglite(dataDir, JSON.parse(settings));
  await db.close();
  await syncTree(dataDir);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
