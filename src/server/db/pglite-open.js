// @ts-check
// How the embedded database's thread opens PGlite: PostgreSQL's settings, and commits that reach
// the disk. Plain JavaScript, as the thread is.
/** @import { Extension } from '@electric-sql/pglite' */
import { fsyncSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * Opens (creating when missing) the database in `dataDir` with PGlite's start parameters, without
 * its `-F` (fsync off), and then `settings` as `-c name=value`.
 * @param {string} dataDir
 * @param {Readonly<Record<string, string>>} settings
 * @param {(fd: number) => void} [sync] what syncs a file PostgreSQL fsync()s; fsyncSync but in tests
 */
export function openPglite(dataDir, settings, sync) {
  const startParams = [
    ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
  // On Node the database directory is mounted directly (NODEFS): each write reaches its file as
  // PostgreSQL makes it, and each fsync() PostgreSQL makes reaches the disk (durableNodeFs). What
  // relaxed durability skips is PGlite's wait, after every statement, on a filesystem sync that
  // only its in-memory and browser stores need; it costs ~5 ms a statement.
  return PGlite.create(dataDir, {
    relaxedDurability: true,
    startParams,
    extensions: { durableNodeFs: durableNodeFs(sync) },
  });
}

/**
 * The file system PGlite mounts on Node (Emscripten's NODEFS) has no fsync: PostgreSQL's fsync()
 * returned at once and its writes stayed in the page cache. This gives it one, so a WAL flush at
 * commit, a checkpoint and a directory sync reach the disk as they do for PostgreSQL itself.
 * (Emscripten's fdatasync() does nothing whatever the file system: hence wal_sync_method = fsync.)
 * @param {(fd: number) => void} sync what syncs an open file descriptor; fsyncSync but in tests
 * @returns {Extension}
 */
export function durableNodeFs(sync = fsyncSync) {
  return {
    name: 'durable-nodefs',
    setup: (_pg, emscriptenOpts) =>
      Promise.resolve({
        emscriptenOpts: {
          ...emscriptenOpts,
          preRun: [
            ...(emscriptenOpts.preRun ?? []),
            (/** @type {{ NODEFS: { stream_ops: { fsync?: (stream: { nfd?: number }) => number } } }} */ mod) => {
              mod.NODEFS.stream_ops.fsync = (stream) => {
                if (stream.nfd !== undefined) sync(stream.nfd);
                return 0;
              };
            },
          ],
        },
      }),
  };
}

/** fsync()s at once, at most (one by one, a new database's thousand files took 2.5 s; eight at a time 0.4 s). */
const SYNCS_AT_ONCE = 8;

/**
 * fsync()s every file and directory under `dir`. A new database's files are copied in from
 * initdb's scratch memory without a sync, and PostgreSQL syncs only what it writes itself.
 * @param {string} dir
 */
export async function syncTree(dir) {
  /** @type {string[]} */
  const paths = [];
  /** @param {string} at */
  const list = async (at) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await list(path);
      else if (entry.isFile()) paths.push(path);
    }
    paths.push(at);
  };
  await list(dir);
  let next = 0;
  const syncer = async () => {
    for (let path = paths[next++]; path !== undefined; path = paths[next++]) {
      const file = await open(path, 'r');
      try {
        await file.sync();
      } finally {
        await file.close();
      }
    }
  };
  await Promise.all(Array.from({ length: SYNCS_AT_ONCE }, syncer));
}
