// Who is on hold right now, and a signal when that may have changed. The signal travels as a
// PostgreSQL NOTIFY, so every app server sharing the database hears every other's holds.
import type { LiveHold } from '../../contract/api.ts';
import type { Driver, Queryable } from '../db/index.ts';

export const LIVE_CHANNEL = 'hold_relay_live';
/** A hold open longer than this is taken for one whose end was never reported (a closed browser). */
export const LIVE_MAX_HOLD_MS = 4 * 3600_000;

export type { LiveHold };

export async function holdingNow(db: Queryable, portal: string): Promise<LiveHold[]> {
  const rows = await db.query<{ user_id: number; call_id: string | null; since_ms: number }>(
    `SELECT user_id, call_id, (extract(epoch FROM started_at) * 1000)::float8 AS since_ms
     FROM holds
     WHERE portal = $1 AND ended_at IS NULL AND NOT failed AND started_at > now() - make_interval(secs => $2)
     ORDER BY started_at, user_id`,
    [portal, LIVE_MAX_HOLD_MS / 1000],
  );
  return rows.map((row) => ({ userId: row.user_id, callId: row.call_id, since: new Date(row.since_ms).toISOString() }));
}

/** Tells every listener, on every server, that the portal's live holds may have changed. */
export async function announceChange(db: Queryable, portal: string): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, portal]);
}

export interface LiveHub {
  /** Calls `onChange` when the portal's holds may have changed; returns its unsubscribe. */
  subscribe(portal: string, onChange: () => void): () => void;
  size(): number;
  close(): Promise<void>;
}

/** One database listener for the whole server, fanned out to each stream by portal. */
export async function createLiveHub(db: Driver): Promise<LiveHub> {
  const subscribers = new Map<string, Set<() => void>>();
  let count = 0;
  const unlisten = await db.listen(LIVE_CHANNEL, (portal) => {
    for (const onChange of subscribers.get(portal) ?? []) {
      try {
        onChange();
      } catch {
        // One stream's failure must not keep the news from the others.
      }
    }
  });
  return {
    subscribe(portal, onChange) {
      let set = subscribers.get(portal);
      if (!set) subscribers.set(portal, (set = new Set()));
      set.add(onChange);
      count++;
      return () => {
        if (set.delete(onChange)) count--;
        if (set.size === 0) subscribers.delete(portal);
      };
    },
    size: () => count,
    close: () => unlisten(),
  };
}
