// How many live streams may be open at once: per user, per portal and on the whole server, so one
// admin (or one portal's admins) opening tab after tab cannot lock anyone else out of live view.
// A slot is taken before the stream answers and given back when it closes, however it closes.

export interface StreamCaps {
  /** Streams one user of one portal may keep open (tabs, windows). */
  perUser: number;
  /** Streams all users of one portal together may keep open. */
  perPortal: number;
  /** Streams the server keeps open, all portals together. */
  total: number;
}

export const STREAM_CAPS: StreamCaps = { perUser: 5, perPortal: 50, total: 500 };
/** How long a refused client should wait: about as long as a closed tab takes to let its slot go. */
export const STREAM_RETRY_AFTER_S = 30;

export type SlotVerdict =
  { ok: true; release: () => void } | { ok: false; status: 429 | 503; error: string; retryAfterS: number };

export interface StreamSlots {
  /** Takes a slot for the user's new stream, or says which cap refuses it. */
  acquire(portal: string, userId: number): SlotVerdict;
  /** Streams open now (for tests and diagnostics). */
  open(): number;
}

export function createStreamSlots(caps: StreamCaps = STREAM_CAPS): StreamSlots {
  const byUser = new Map<string, number>();
  const byPortal = new Map<string, number>();
  let total = 0;
  const add = (counts: Map<string, number>, key: string, by: number): void => {
    const next = (counts.get(key) ?? 0) + by;
    if (next > 0) counts.set(key, next);
    else counts.delete(key);
  };
  const refuse = (status: 429 | 503, error: string): SlotVerdict => ({
    ok: false,
    status,
    error,
    retryAfterS: STREAM_RETRY_AFTER_S,
  });

  return {
    acquire(portal, userId) {
      const user = `${portal}\n${userId}`;
      if ((byUser.get(user) ?? 0) >= caps.perUser)
        return refuse(
          429,
          `you have ${caps.perUser} live streams open already: close another tab with the live view, or retry later`,
        );
      if ((byPortal.get(portal) ?? 0) >= caps.perPortal)
        return refuse(429, `this portal has ${caps.perPortal} live streams open already; retry later`);
      if (total >= caps.total) return refuse(503, 'too many live streams open on this server; retry later');
      add(byUser, user, 1);
      add(byPortal, portal, 1);
      total++;
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          add(byUser, user, -1);
          add(byPortal, portal, -1);
          total--;
        },
      };
    },
    open: () => total,
  };
}
