// How the embedded database starts: memory that fits a small server, and commits that reach the
// disk before a batch is answered. docs/database.md gives the measurements behind each value.

/**
 * PostgreSQL settings on top of PGlite's own start parameters (whose `-F`, fsync off, is dropped).
 * shared_buffers: PGlite's 128 MB grew its WebAssembly memory to 190 MB; 16 MB keeps it within the
 * 128 MB the module starts with, and the database's other pages stay in the system's file cache.
 * maintenance_work_mem: the daily VACUUM's ceiling, 64 MB by default.
 * fsync with wal_sync_method = fsync: a commit's WAL reaches the disk before COMMIT returns. fsync()
 * is the one sync call that reaches the disk through the file system PGlite mounts on Node
 * (pglite-disk.js); Emscripten's fdatasync() does nothing.
 */
export const POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
  maintenance_work_mem: '16MB',
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  wal_sync_method: 'fsync',
};

/**
 * V8 flags for the process, set by the database's thread before PGlite compiles PostgreSQL's
 * WebAssembly. Liftoff, V8's baseline compiler, only: the optimising one kept 50 to 60 MB of code
 * and compile scratch memory for good, for reports measured no slower than the target needs.
 */
export const V8_FLAGS = '--liftoff-only';

/**
 * The V8 heap of the database's thread. Its JavaScript is small (the database lives in WebAssembly
 * memory), but a young generation of 2 to 4 MB made ingest slower: 16 MB is where it stopped costing.
 */
export const THREAD_LIMITS = { maxYoungGenerationSizeMb: 16 } as const;
