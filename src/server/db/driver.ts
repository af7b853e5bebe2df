// What the statistics store needs from a database: plain queries with $1 parameters, a
// multi-statement script, a transaction, and PostgreSQL's LISTEN/NOTIFY. Every driver speaks the
// same SQL (PostgreSQL's), so one query runs unchanged on each.

/** Runs SQL. Rows come back as plain objects; cast in SQL (::int, ::float8, ::text) for exact JS types. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Driver extends Queryable {
  /** `pglite` or `postgres`. */
  readonly name: string;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls `onPayload` for each NOTIFY on `channel`, from any connection; resolves to its unsubscribe. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** One error helper, so every message says which driver failed. */
export function driverError(driver: string, message: string, cause?: unknown): Error {
  return new Error(`[stats] [${driver}] ${message}`, cause === undefined ? undefined : { cause });
}
