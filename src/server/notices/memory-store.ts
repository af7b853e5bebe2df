// Where placement-error notices are kept: a list per portal, behind a small interface with two
// stores, this memory one (statistics off) and the database one (stats/placement-notices.ts), which
// keep the same rules. Both are bounded twice: per portal, so one portal's flood only pushes out its
// own notices, and in total, by taking from whichever portal holds the most.
import type { PlacementErrorNotice } from './placement-errors.ts';

export interface NoticeStore {
  /** Keeps a notice under `portal` (see portalOf); rejects when it could not be kept. */
  add(portal: string, notice: PlacementErrorNotice): Promise<void>;
  /** One portal's notices, newest first. */
  list(portal: string): Promise<PlacementErrorNotice[]>;
  /** Every portal's notices, newest first (for the server's own machine). */
  listAll(): Promise<PlacementErrorNotice[]>;
}

export interface NoticeBounds {
  /** Notices kept per portal. */
  perPortal: number;
  /** Notices kept in all. */
  total: number;
}

/**
 * The portal a notice is filed under: its member id, else its domain, else `unknown`. The two never
 * mix, so a notice that names only a (public) domain is never listed for a member id.
 */
export function portalOf(notice: Pick<PlacementErrorNotice, 'memberId' | 'domain'>): string {
  if (notice.memberId) return `member:${notice.memberId}`;
  return notice.domain ? `domain:${notice.domain}` : 'unknown';
}

export function createMemoryNoticeStore(options: NoticeBounds): NoticeStore {
  type Kept = { seq: number; notice: PlacementErrorNotice };
  const portals = new Map<string, Kept[]>();
  let seq = 0;
  let count = 0;

  const dropOldestOfLargest = (): void => {
    let victim: [string, Kept[]] | null = null;
    for (const [portal, kept] of portals) {
      const oldestSeq = (list: Kept[]): number => list.at(-1)?.seq ?? 0;
      const larger = victim === null || kept.length > victim[1].length;
      const olderTie = victim !== null && kept.length === victim[1].length && oldestSeq(kept) < oldestSeq(victim[1]);
      if (larger || olderTie) victim = [portal, kept];
    }
    if (victim === null) return;
    victim[1].pop();
    count -= 1;
    if (victim[1].length === 0) portals.delete(victim[0]);
  };

  const keep = (portal: string, notice: PlacementErrorNotice): void => {
    if (options.total === 0 || options.perPortal === 0) return;
    const kept = portals.get(portal) ?? [];
    portals.set(portal, kept);
    kept.unshift({ seq: (seq += 1), notice });
    count += 1;
    if (kept.length > options.perPortal) {
      kept.pop();
      count -= 1;
    }
    while (count > options.total) dropOldestOfLargest();
  };

  return {
    add: async (portal, notice) => keep(portal, notice),
    list: async (portal) => (portals.get(portal) ?? []).map((k) => k.notice),
    listAll: async () =>
      [...portals.values()]
        .flat()
        .sort((a, b) => b.seq - a.seq)
        .map((k) => k.notice),
  };
}
