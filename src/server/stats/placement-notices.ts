// The portal's placement-error notices in the database, so every app server sees every notice.
import type { Queryable } from '../db/index.ts';

export interface StoredNotice {
  id: number;
  portal: string | null;
  memberId: string | null;
  error: string;
  description: string;
  placement: string | null;
  receivedAt: string;
}

export interface NewNotice {
  portal: string | null;
  memberId: string | null;
  error: string;
  description: string;
  placement: string | null;
}

export async function addNotice(db: Queryable, notice: NewNotice): Promise<number> {
  const rows = await db.query<{ id: number }>(
    'INSERT INTO placement_errors (portal, member_id, error, description, placement) VALUES ($1, $2, $3, $4, $5) RETURNING id::float8 AS id',
    [notice.portal, notice.memberId, notice.error, notice.description, notice.placement],
  );
  return rows[0]?.id ?? 0;
}

/**
 * A portal's notices, newest first: those naming its member id, and those naming only its domain.
 * With neither given, every portal's notices.
 */
export async function listNotices(db: Queryable, filter: { memberId: string | null; portal: string | null }, limit: number): Promise<StoredNotice[]> {
  const rows = await db.query<{ id: number; portal: string | null; member_id: string | null; error: string; description: string; placement: string | null; received_ms: number }>(
    `SELECT id::float8 AS id, portal, member_id, error, description, placement, (extract(epoch FROM received_at) * 1000)::float8 AS received_ms
     FROM placement_errors
     WHERE ($1::text IS NULL AND $2::text IS NULL) OR member_id = $1 OR (member_id IS NULL AND portal = $2)
     ORDER BY received_at DESC, id DESC LIMIT $3`,
    [filter.memberId, filter.portal, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    portal: row.portal,
    memberId: row.member_id,
    error: row.error,
    description: row.description,
    placement: row.placement,
    receivedAt: new Date(row.received_ms).toISOString(),
  }));
}

/** Keeps the newest `max` notices and deletes the rest. */
export async function trimNotices(db: Queryable, max: number): Promise<void> {
  await db.query('DELETE FROM placement_errors WHERE id NOT IN (SELECT id FROM placement_errors ORDER BY received_at DESC, id DESC LIMIT $1)', [max]);
}
