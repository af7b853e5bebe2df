// One holder at a time per portal for work that must not race, such as a token renewal (each one
// retires the refresh token the other would use). Within this process a queue per portal; across
// servers sharing a PostgreSQL an advisory lock held by a transaction. The embedded database has one
// server by design, and holding its only connection through a network call would stall every
// other statement, so there the queue alone does it.
import type { Driver, Queryable } from '../db/index.ts';

/** Names the lock in pg_locks; shared by every instance of this app. */
const PORTAL_LOCK = 72_240_024;

export interface PortalLock {
  <T>(portal: string, work: (db: Queryable) => Promise<T>): Promise<T>;
  /** Resolves once every work queued so far has ended. */
  idle(): Promise<void>;
}

export function createPortalLock(db: Driver): PortalLock {
  const tails = new Map<string, Promise<unknown>>();
  const acrossServers = db.name !== 'pglite';
  const lock = (<T>(portal: string, work: (db: Queryable) => Promise<T>): Promise<T> => {
    const run = () =>
      acrossServers
        ? db.transaction(async (tx) => {
            await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PORTAL_LOCK, portal]);
            return work(tx);
          })
        : work(db);
    const previous = tails.get(portal) ?? Promise.resolve();
    const result = previous.then(run, run);
    const tail = result.catch(() => undefined);
    tails.set(portal, tail);
    void tail.then(() => {
      if (tails.get(portal) === tail) tails.delete(portal);
    });
    return result;
  }) as PortalLock;
  lock.idle = async () => {
    await Promise.all([...tails.values()]);
  };
  return lock;
}
