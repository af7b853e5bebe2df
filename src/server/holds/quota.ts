// The daily quota: events stored per portal per UTC day. The count is kept in the database by the
// statement that stores the events (event_quota, migration 006), so every server sharing it counts
// the same; each server remembers the count its last group of a portal got back, and refuses that
// portal's batches once it reached the quota, until the next UTC midnight. A server learns of
// another server's events with its own next group of the portal, so together they store at most a
// group more than the quota per server.

/** Events a portal may store per UTC day unless EVENTS_PER_PORTAL_DAY says otherwise. */
export const DEFAULT_EVENTS_PER_PORTAL_DAY = 100_000;

const DAY_MS = 86_400_000;

export interface PortalQuota {
  /** How long the portal must wait before it may store events again (0: it may now). */
  waitMs(portal: string, now: number): number;
  /** Takes the counts a group got back (events stored today, per portal). */
  note(used: Readonly<Record<string, number>>, now: number): void;
}

export function createPortalQuota(perDay: number): PortalQuota {
  let day = -1;
  const used = new Map<string, number>();
  const today = (now: number): void => {
    const current = Math.floor(now / DAY_MS);
    if (current !== day) {
      day = current;
      used.clear();
    }
  };
  return {
    waitMs(portal, now) {
      today(now);
      return (used.get(portal) ?? 0) >= perDay ? (day + 1) * DAY_MS - now : 0;
    },
    note(counts, now) {
      today(now);
      for (const [portal, count] of Object.entries(counts))
        used.set(portal, Math.max(used.get(portal) ?? 0, Number(count)));
    },
  };
}
