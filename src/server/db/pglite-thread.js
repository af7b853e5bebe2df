// @ts-check
// The embedded database's own thread: PGlite runs each statement synchronously in WebAssembly, so on
// the server's main thread every statement would stop HTTP work until it returns. Here it runs on a
// worker thread and answers the messages of src/server/db/pglite.ts, one request at a time in
// PGlite's own order; a transaction stays open across messages until the main thread ends it.
// Plain JavaScript (type-checked from its JSDoc): a thread that loaded TypeScript through tsx would
// start tsx's module-hook thread too, a whole JavaScript engine of its own, 40 MB for nothing.
/** @import { PGlite, Transaction } from '@electric-sql/pglite' */
/** @import { Reply, Request, ThreadData, ThreadError } from './pglite-protocol.ts' */
import process from 'node:process';
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { openPglite } from './pglite-open.js';

const port = parentPort;
if (!port) throw new Error('pglite-thread.js runs as a worker thread of the server');

/** @param {Reply} message */
const reply = (message) => port.postMessage(message);
/** @param {string} key @param {unknown} error @returns {string | undefined} */
const field = (key, error) => {
  const value =
    error !== null && typeof error === 'object' ? /** @type {Record<string, unknown>} */ (error)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
};
/** @param {unknown} error @returns {ThreadError} */
const errorOf = (error) => ({
  message: field('message', error) ?? String(error),
  code: field('code', error),
  detail: field('detail', error),
  hint: field('hint', error),
  severity: field('severity', error),
});

const { dataDir, settings, v8Flags } = /** @type {ThreadData} */ (workerData);
// Read when the WebAssembly is compiled, so before PGlite loads it.
setFlagsFromString(v8Flags);
/** @type {PGlite} */
let db;
try {
  db = await openPglite(dataDir, settings);
  reply({ id: 0, ok: true, value: null });
} catch (error) {
  reply({ id: 0, ok: false, error: errorOf(error) });
  process.exit(1);
}

/** @typedef {{ tx: Transaction; end: (commit: boolean) => void; done: Promise<void> }} OpenTransaction */
/** Open transactions by id: the function that ends each, and the promise its end settles. @type {Map<number, OpenTransaction>} */
const open = new Map();
const ROLLBACK = Symbol('rollback');
let nextTx = 1;
/** @type {Map<string, () => Promise<void>>} */
const unlisteners = new Map();

/** @returns {Promise<number>} */
function begin() {
  return new Promise((resolve, reject) => {
    const id = nextTx++;
    /** @type {Promise<void>} */
    const done = db.transaction(async (tx) => {
      const commit = await new Promise((end) => {
        open.set(id, { tx, end, done });
        resolve(id);
      });
      if (!commit) throw ROLLBACK;
    });
    // Before the transaction began (BEGIN failed), this is the answer; after, `end` reports it.
    done.catch((error) => reject(error instanceof Error ? error : new Error(String(error))));
  });
}

/** @param {number} id @param {boolean} commit */
async function end(id, commit) {
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

/** @param {Request} request @returns {Promise<unknown>} */
async function handle(request) {
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
        const channel = request.channel;
        unlisteners.set(channel, await db.listen(channel, (payload) => reply({ notify: channel, payload })));
      }
      return null;
    case 'close':
      for (const unlisten of unlisteners.values()) await unlisten().catch(() => undefined);
      if (!db.closed) await db.close();
      return null;
  }
}

port.on('message', (/** @type {Request} */ request) => {
  handle(request).then(
    (value) => reply({ id: request.id, ok: true, value }),
    (error) => reply({ id: request.id, ok: false, error: errorOf(error) }),
  );
});
