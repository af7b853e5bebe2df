// Single holds of a period, longest or most recent first, for the holds list and the CSV export,
// each with its line and its call's talk time (null while unknown).
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
  /** Only holds on this line, or every line's with null. */
  lineNumber?: string | null;
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
    call_id: string | null;
    user_id: number;
    started_ms: number;
    ended_ms: number | null;
    held_ms: number | null;
    ended_by: HoldRow['endedBy'];
    phone_number: string | null;
    crm_entity_type: string | null;
    crm_entity_id: number | null;
    line_number: string | null;
    answered_ms: number | null;
    talk_ms: number | null;
  }>(
    `SELECT h.call_id, h.user_id, ${ms('h.started_at')} AS started_ms, ${ms('h.ended_at')} AS ended_ms, h.held_ms::float8 AS held_ms,
            h.ended_by, h.phone_number, h.crm_entity_type, h.crm_entity_id::float8 AS crm_entity_id, h.line_number,
            ${ms('c.answered_at')} AS answered_ms, c.talk_ms::float8 AS talk_ms
     FROM holds h LEFT JOIN calls c ON c.portal = h.portal AND c.user_id = h.user_id AND c.call_key = h.call_key
     WHERE h.portal = $1 AND h.started_at >= $2 AND h.started_at < $3 AND NOT h.failed AND ($4::int IS NULL OR h.user_id = $4)
       AND ($6::text IS NULL OR h.line_number = $6::text)
     ORDER BY ${ORDER[query.sort]} LIMIT $5`,
    [portal, query.period.from, query.period.to, query.userId, query.limit, query.lineNumber ?? null],
  );
  const iso = (msOrNull: number | null) => (msOrNull === null ? null : new Date(msOrNull).toISOString());
  return rows.map((row) => ({
    callId: row.call_id,
    userId: row.user_id,
    startedAt: new Date(row.started_ms).toISOString(),
    endedAt: iso(row.ended_ms),
    heldMs: row.held_ms,
    endedBy: row.ended_by,
    phoneNumber: row.phone_number,
    crmEntityType: row.crm_entity_type,
    crmEntityId: row.crm_entity_id,
    lineNumber: row.line_number,
    answeredAt: iso(row.answered_ms),
    talkMs: row.talk_ms,
  }));
}
