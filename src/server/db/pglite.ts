// The embedded driver: PostgreSQL compiled to WebAssembly (PGlite), its files in one directory.
// One process owns the directory. PGlite runs one statement at a time, synchronously, so it runs on
// a thread of its own (pglite-thread.js): the server keeps reading requests, and batches that
// arrive while a statement runs wait for the next group instead of for the event loop.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { driverError, type Driver, type Queryable } from './driver.ts';
import type { Reply, Request, ThreadData, ThreadError } from './pglite-protocol.ts';
import { POSTGRES_SETTINGS, THREAD_LIMITS, V8_FLAGS } from './pglite-settings.ts';

export const DRIVER_NAME = 'pglite';

export interface PgliteOptions {
  /** The database directory (created when missing), or `memory://` for a throwaway database. */
  dataDir: string;
}

/** A request before it gets its id, operation by operation. */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;
type Ask = <T>(request: Unsent<Request>) => Promise<T>;

/** A database error from the thread, with PostgreSQL's fields (code, detail...) as PGlite gives them. */
function threadError(error: ThreadError): Error {
  return Object.assign(new Error(error.message), {
    code: error.code,
    detail: error.detail,
    hint: error.hint,
    severity: error.severity,
  });
}

const queryable = (ask: Ask, tx?: number): Queryable => ({
  query: <Row>(sql: string, params: readonly unknown[] = []) =>
    ask<Row[]>({ op: 'query', sql, params: [...params], ...(tx === undefined ? {} : { tx }) }),
  async exec(sql: string) {
    await ask({ op: 'exec', sql, ...(tx === undefined ? {} : { tx }) });
  },
});

/** The database's thread, plain JavaScript: it needs no TypeScript loader. */
function startThread(dataDir: string): Worker {
  const data: ThreadData = { dataDir, settings: POSTGRES_SETTINGS, v8Flags: V8_FLAGS };
  // execArgv: none, not the server's own (`--import tsx`, which would load tsx and its hook thread here too).
  return new Worker(new URL('./pglite-thread.js', import.meta.url), {
    workerData: data,
    resourceLimits: THREAD_LIMITS,
    execArgv: [],
  });
}

/** A new database (initdb), made and written to the disk by a process of its own (pglite-create.js). */
async function createDatabase(dataDir: string): Promise<void> {
  const script = fileURLToPath(new URL('./pglite-create.js', import.meta.url));
  const child = spawn(process.execPath, [...V8_FLAGS.split(' '), script, dataDir, JSON.stringify(POSTGRES_SETTINGS)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let said = '';
  child.stderr.on('data', (chunk: Buffer) => {
    said = (said + chunk.toString('utf8')).slice(-2000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('exit', resolve);
    child.once('error', reject);
  });
  if (code !== 0) throw new Error(said.trim() || `initdb's process exited with code ${code}`);
}

export default async function pgliteDriver(options: PgliteOptions): Promise<Driver> {
  if (!options.dataDir) throw driverError(DRIVER_NAME, 'dataDir is required');
  if (!options.dataDir.startsWith('memory://')) {
    mkdirSync(options.dataDir, { recursive: true });
    if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
      await createDatabase(options.dataDir).catch((error: unknown) => {
        throw driverError(
          DRIVER_NAME,
          `cannot create the database in ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`,
          error,
        );
      });
    }
  }
  const worker = startThread(options.dataDir);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let nextId = 1;
  let failure: Error | null = null;
  const opened = new Promise<void>((resolve, reject) => pending.set(0, { resolve: () => resolve(), reject }));

  worker.on('message', (reply: Reply) => {
    if ('notify' in reply) {
      for (const onPayload of listeners.get(reply.notify) ?? []) onPayload(reply.payload);
      return;
    }
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(threadError(reply.error));
  });
  const fail = (error: Error): void => {
    failure = driverError(DRIVER_NAME, `the database thread stopped: ${error.message}`, error);
    for (const waiter of pending.values()) waiter.reject(failure);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));

  const ask: Ask = <T>(request: Unsent<Request>) =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });

  try {
    await opened;
  } catch (error) {
    await worker.terminate();
    throw driverError(
      DRIVER_NAME,
      `cannot open the database in ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  let closed = false;
  return {
    name: DRIVER_NAME,
    ...queryable(ask),
    async transaction(work) {
      const tx = await ask<number>({ op: 'begin' });
      let result;
      try {
        result = await work(queryable(ask, tx));
      } catch (error) {
        await ask({ op: 'end', end: tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await ask({ op: 'end', end: tx, commit: true });
      return result;
    },
    async listen(channel, onPayload) {
      let set = listeners.get(channel);
      if (!set) {
        listeners.set(channel, (set = new Set()));
        await ask({ op: 'listen', channel });
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await ask({ op: 'close' }).catch(() => undefined);
      failure ??= driverError(DRIVER_NAME, 'the database is closed');
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
