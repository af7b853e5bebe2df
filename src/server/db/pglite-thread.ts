// The embedded database's own thread: PGlite runs each statement synchronously in WebAssembly, so on
// the server's main thread every statement would stop HTTP work until it returns. Here it runs on a
// worker thread and answers the messages of src/server/db/pglite.ts, one request at a time in
// PGlite's own order; a transaction stays open across messages until the main thread ends it.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Reply, Request, ThreadError } from './pglite-protocol.ts';

const port = parentPort;
if (!port) throw new Error('pglite-thread.ts runs as a worker thread of the server');

const reply = (message: Reply): void => port.postMessage(message);
const errorOf = (error: unknown): ThreadError => {
  const e = (error ?? {}) as Partial<Record<'message' | 'code' | 'detail' | 'hint' | 'severity', unknown>>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return { message: text(e.message) ?? String(error), code: text(e.code), detail: text(e.detail), hint: text(e.hint), severity: text(e.severity) };
};

let db: PGlite;
try {
  // On Node the database directory is mounted directly (NODEFS): each write reaches its file as
  // PostgreSQL makes it. What relaxed durability skips is PGlite's wait, after every statement,
  // on a filesystem sync that only its in-memory and browser stores need; it costs ~5 ms a statement.
  db = await PGlite.create((workerData as { dataDir: string }).dataDir, { relaxedDurability: true });
  reply({ id: 0, ok: true, value: null });
} catch (error) {
  reply({ id: 0, ok: false, error: errorOf(error) });
  process.exit(1);
}

/** Open transactions by id: the function that ends each, and the promise its end settles. */
const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; done: Promise<void> }>();
const ROLLBACK = Symbol('rollback');
let nextTx = 1;
const unlisteners = new Map<string, () => Promise<void>>();

function begin(): Promise<number> {
  return new Promise((resolve, reject) => {
    const id = nextTx++;
    const done: Promise<void> = db.transaction(async (tx) => {
      const commit = await new Promise<boolean>((end) => {
        open.set(id, { tx, end, done });
        resolve(id);
      });
      if (!commit) throw ROLLBACK;
    });
    // Before the transaction began (BEGIN failed), this is the answer; after, `end` reports it.
    done.catch((error: unknown) => reject(error instanceof Error ? error : new Error(String(error))));
  });
}

async function end(id: number, commit: boolean): Promise<void> {
  const entry = open.get(id);
  if (!entry) throw new Error(`no open transaction ${id}`);
  open.delete(id);
  entry.end(commit);
  try {
    await entry.done;
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
}

async function handle(request: Request): Promise<unknown> {
  const target = request.tx === undefined ? db : open.get(request.tx)?.tx;
  if (!target) throw new Error(`no open transaction ${String(request.tx)}`);
  switch (request.op) {
    case 'query':
      return (await target.query(request.sql, request.params)).rows;
    case 'exec':
      await target.exec(request.sql);
      return null;
    case 'begin':
      return begin();
    case 'end':
      await end(request.end, request.commit);
      return null;
    case 'listen':
      if (!unlisteners.has(request.channel)) {
        unlisteners.set(request.channel, await db.listen(request.channel, (payload) => reply({ notify: request.channel, payload })));
      }
      return null;
    case 'close':
      for (const unlisten of unlisteners.values()) await unlisten().catch(() => undefined);
      if (!db.closed) await db.close();
      return null;
  }
}

port.on('message', (request: Request) => {
  handle(request).then(
    (value) => reply({ id: request.id, ok: true, value }),
    (error: unknown) => reply({ id: request.id, ok: false, error: errorOf(error) }),
  );
});
