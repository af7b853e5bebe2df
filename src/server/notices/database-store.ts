// The portal's placement-error notices in the database, so every app server sees every notice. The
// rules are the memory store's (src/server/notices/memory-store.ts): filed under a portal key, listed newest
// first, bounded per portal and in all, the portal holding the most losing its oldest. Each add
// trims in its own transaction under one lock, so the bounds hold however many servers add at once.
import type { Driver, Queryable } from '../db/index.ts';
import type { NoticeBounds, NoticeStore } from './memory-store.ts';
import type { PlacementErrorNotice } from './placement-errors.ts';

/** Any constant shared by every instance of this app (the migrations use another); names the lock in pg_locks. */
const NOTICE_LOCK = 72_240_014;

interface NoticeRow {
  received_ms: number;
  error: string;
  description: string | null;
  portal: string | null;
  member_id: string | null;
  placement: string | null;
  fields: string;
  dropped_fields: number;
}

const SELECT = `SELECT (extract(epoch FROM received_at) * 1000)::float8 AS received_ms, error, description, portal, member_id,
  placement, fields::text AS fields, dropped_fields FROM placement_errors`;

const toNotice = (row: NoticeRow): PlacementErrorNotice => ({
  receivedAt: new Date(row.received_ms).toISOString(),
  error: row.error,
  description: row.description,
  domain: row.portal,
  memberId: row.member_id,
  placement: row.placement,
  fields: JSON.parse(row.fields) as Record<string, string>,
  droppedFields: row.dropped_fields,
  verified: false,
});

/** Keeps `notice` under `key` (see portalOf), then trims that portal and the whole table to `bounds`. */
export async function addNotice(
  db: Driver,
  key: string,
  notice: PlacementErrorNotice,
  bounds: NoticeBounds,
): Promise<void> {
  if (bounds.total === 0 || bounds.perPortal === 0) return;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [NOTICE_LOCK]);
    await tx.query(
      `INSERT INTO placement_errors (portal_key, portal, member_id, error, description, placement, fields, dropped_fields, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::json, $8, $9)`,
      [
        key,
        notice.domain,
        notice.memberId,
        notice.error,
        notice.description,
        notice.placement,
        JSON.stringify(notice.fields),
        notice.droppedFields,
        notice.receivedAt,
      ],
    );
    await tx.query(
      'DELETE FROM placement_errors WHERE portal_key = $1 AND id < (SELECT min(id) FROM (SELECT id FROM placement_errors WHERE portal_key = $1 ORDER BY id DESC LIMIT $2) AS kept)',
      [key, bounds.perPortal],
    );
    for (let over = true; over;) over = await dropOldestOfLargest(tx, bounds.total);
  });
}

/** Over `total`, deletes the oldest notice of the portal holding the most (of two as large, the one with the older oldest). */
async function dropOldestOfLargest(db: Queryable, total: number): Promise<boolean> {
  const dropped = await db.query(
    `WITH sizes AS (SELECT portal_key, count(*) AS n, min(id) AS oldest FROM placement_errors GROUP BY portal_key),
     victim AS (SELECT oldest FROM sizes WHERE (SELECT sum(n) FROM sizes) > $1 ORDER BY n DESC, oldest LIMIT 1)
     DELETE FROM placement_errors WHERE id IN (SELECT oldest FROM victim) RETURNING 1`,
    [total],
  );
  return dropped.length > 0;
}

/** The notices filed under `key`, or every portal's with null; newest first, at most `limit`. */
export async function listNotices(db: Queryable, key: string | null, limit: number): Promise<PlacementErrorNotice[]> {
  const rows =
    key === null
      ? await db.query<NoticeRow>(`${SELECT} ORDER BY id DESC LIMIT $1`, [limit])
      : await db.query<NoticeRow>(`${SELECT} WHERE portal_key = $1 ORDER BY id DESC LIMIT $2`, [key, limit]);
  return rows.map(toNotice);
}

/** The notice store the server uses while it keeps statistics: every server on the database shares it. */
export function createDatabaseNoticeStore(db: Driver, bounds: NoticeBounds): NoticeStore {
  return {
    add: (key, notice) => addNotice(db, key, notice, bounds),
    list: (key) => listNotices(db, key, Math.min(bounds.perPortal, bounds.total)),
    listAll: () => listNotices(db, null, bounds.total),
  };
}
