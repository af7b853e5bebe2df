// Single holds of a period, longest or most recent first, for the holds list and the CSV export.
import type { HoldRow } from '../../contract/api.ts';
import type { Queryable } from '../db/index.ts';
import type { Period } from './report.ts';

export type { HoldRow };

export interface HoldsQuery {
  period: Period;
  sort: 'longest' | 'recent';
  limit: number;
  /** Only this operator's holds, or everyone's with null. */
  userId: number | null;
}

// Qualified, so the order is the table's columns (and their indexes), never the converted output
// columns of the same names.
const ORDER = {
  longest: 'h.held_ms DESC NULLS LAST, h.started_at DESC',
  recent: 'h.started_at DESC, h.hold_seq DESC',
} as const;

const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

export async function listHolds(db: Queryable, portal: string, query: HoldsQuery): Promise<HoldRow[]> {
  const rows = await db.query<{
    call_id: string | null; user_id: number; started_ms: number; ended_ms: number | null; held_ms: number | null;
    ended_by: HoldRow['endedBy']; phone_number: string | null; crm_entity_type: string | null; crm_entity_id: number | null;
  }>(
    `SELECT call_id, user_id, ${ms('started_at')} AS started_ms, ${ms('ended_at')} AS ended_ms, held_ms::float8 AS held_ms,
            ended_by, phone_number, crm_entity_type, crm_entity_id::float8 AS crm_entity_id
     FROM holds h
     WHERE portal = $1 AND started_at >= $2 AND started_at < $3 AND NOT failed AND ($4::int IS NULL OR user_id = $4)
     ORDER BY ${ORDER[query.sort]} LIMIT $5`,
    [portal, query.period.from, query.period.to, query.userId, query.limit],
  );
  return rows.map((row) => ({
    callId: row.call_id,
    userId: row.user_id,
    startedAt: new Date(row.started_ms).toISOString(),
    endedAt: row.ended_ms === null ? null : new Date(row.ended_ms).toISOString(),
    heldMs: row.held_ms,
    endedBy: row.ended_by,
    phoneNumber: row.phone_number,
    crmEntityType: row.crm_entity_type,
    crmEntityId: row.crm_entity_id,
  }));
}
