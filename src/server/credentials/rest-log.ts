// The server's own REST calls to portals, kept 3 days and readable by the portal's admins on the
// app page: method, status, error code and duration. Never a token or a parameter.
import type { RestCallRecord } from '../../contract/api.ts';
import type { Queryable } from '../db/index.ts';

export const REST_LOG_KEEP_MS = 3 * 24 * 3600_000;

export type { RestCallRecord };

export async function recordRestCall(db: Queryable, portal: string, call: RestCallRecord): Promise<void> {
  await db.query(
    'INSERT INTO rest_calls (portal, at, method, status, duration_ms, error) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      portal,
      call.at,
      call.method.slice(0, 100),
      call.status,
      Math.round(call.durationMs),
      call.error?.slice(0, 200) ?? null,
    ],
  );
}

/** The portal's newest calls first. */
export async function listRestCalls(db: Queryable, portal: string, limit = 200): Promise<RestCallRecord[]> {
  const rows = await db.query<{
    at: Date | string;
    method: string;
    status: number;
    durationMs: number;
    error: string | null;
  }>(
    'SELECT at, method, status, duration_ms AS "durationMs", error FROM rest_calls WHERE portal = $1 ORDER BY id DESC LIMIT $2',
    [portal, limit],
  );
  return rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() }));
}

/** Deletes calls older than the 3 days kept; resolves to how many went. */
export async function purgeRestCalls(db: Queryable, now: number): Promise<number> {
  return (
    await db.query('DELETE FROM rest_calls WHERE at < $1 RETURNING 1', [new Date(now - REST_LOG_KEEP_MS).toISOString()])
  ).length;
}
