// Every error the database raises is a DatabaseError, so the one error handler of the server can
// answer 503 with Retry-After for it (and 500 for a fault of the code) without a try/catch around
// every query. The SQLSTATE `code` stays on it for those who tell data errors from outages.
import type { Driver, Queryable } from './driver.ts';

export class DatabaseError extends Error {
  readonly code: string | undefined;
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'DatabaseError';
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

const marked = (error: unknown): unknown => (error instanceof DatabaseError ? error : new DatabaseError(error));

function markQueries(db: Queryable): Queryable {
  return {
    query: (sql, params) => db.query(sql, params).catch((error: unknown) => Promise.reject(marked(error))),
    exec: (sql) => db.exec(sql).catch((error: unknown) => Promise.reject(marked(error))),
  } as Queryable;
}

/**
 * The same driver, its failures marked. An error thrown by the work inside a transaction stays as
 * it was (a refusal of the caller's own making is not an outage); the commit's or rollback's is marked.
 */
export function markDatabaseErrors(driver: Driver): Driver {
  const queries = markQueries(driver);
  return {
    name: driver.name,
    query: queries.query,
    exec: queries.exec,
    async transaction(work) {
      let workFailed = false;
      try {
        return await driver.transaction(async (tx) => {
          try {
            return await work(markQueries(tx));
          } catch (error) {
            workFailed = true;
            throw error;
          }
        });
      } catch (error) {
        throw workFailed ? error : marked(error);
      }
    },
    listen: (channel, onPayload) =>
      driver.listen(channel, onPayload).catch((error: unknown) => Promise.reject(marked(error))),
    close: () => driver.close(),
  };
}
