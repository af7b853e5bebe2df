// The messages between the server and the embedded database's thread (pglite-thread.js).

/** A request; `tx` runs it inside that open transaction. Answered by a Reply with the same id. */
export type Request = { id: number; tx?: number } & (
  | { op: 'query'; sql: string; params: unknown[] }
  | { op: 'exec'; sql: string }
  /** Opens a transaction; answers its id. */
  | { op: 'begin' }
  /** Commits or rolls back the transaction `end` (outside it: `tx` is not set). */
  | { op: 'end'; end: number; commit: boolean }
  | { op: 'listen'; channel: string }
  | { op: 'close' }
);

/** What a database error carries across the thread boundary. */
export interface ThreadError {
  message: string;
  code?: string | undefined;
  detail?: string | undefined;
  hint?: string | undefined;
  severity?: string | undefined;
}

/** An answer (id 0: the database opened, or could not), or a NOTIFY the thread heard. */
export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: ThreadError }
  | { notify: string; payload: string };

/** What the thread is started with. */
export interface ThreadData {
  /** The database directory, or `memory://`. */
  dataDir: string;
  /** PostgreSQL settings, `name: value`, passed as `-c name=value`. */
  settings: Readonly<Record<string, string>>;
  /** V8 flags the thread sets before the WebAssembly is compiled. */
  v8Flags: string;
}
