// The portal_installs rows (migration 008): what the app holds of each portal installed here.
// Tokens go in and come out sealed; this file never sees them in the clear.
import { createHash } from 'node:crypto';
import type { Queryable } from '../db/index.ts';

export interface InstallRow {
  portal: string;
  memberId: string;
  applicationTokenHash: string;
  refreshToken: string;
  accessToken: string;
  accessExpiresAt: Date;
  installedAt: Date;
  renewedAt: Date;
  renewalFailedAt: Date | null;
  renewalError: string | null;
  language: string | null;
}

export const applicationTokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const COLUMNS = `portal, member_id AS "memberId", application_token_hash AS "applicationTokenHash", refresh_token AS "refreshToken",
  access_token AS "accessToken", access_expires_at AS "accessExpiresAt", installed_at AS "installedAt", renewed_at AS "renewedAt",
  renewal_failed_at AS "renewalFailedAt", renewal_error AS "renewalError", language`;

export async function findInstall(db: Queryable, portal: string): Promise<InstallRow | null> {
  const [row] = await db.query<InstallRow>(`SELECT ${COLUMNS} FROM portal_installs WHERE portal = $1`, [portal]);
  return row ?? null;
}

export interface NewInstall {
  portal: string;
  memberId: string;
  applicationToken: string;
  sealedRefreshToken: string;
  sealedAccessToken: string;
  accessExpiresAt: Date;
  installedBy: number | null;
  language: string | null;
  /** Now, by the caller's clock: the weekly renewal counts from here. */
  at: Date;
}

/** A first install or a reinstall: the new tokens replace the old, and a failed renewal is forgotten. */
export async function saveInstall(db: Queryable, install: NewInstall): Promise<void> {
  // A portal renamed keeps its member id: its old row goes.
  await db.query('DELETE FROM portal_installs WHERE member_id = $1 AND portal <> $2', [
    install.memberId,
    install.portal,
  ]);
  await db.query(
    `INSERT INTO portal_installs (portal, member_id, application_token_hash, refresh_token, access_token, access_expires_at, installed_by, language,
       installed_at, renewed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
     ON CONFLICT (portal) DO UPDATE SET member_id = EXCLUDED.member_id, application_token_hash = EXCLUDED.application_token_hash,
       refresh_token = EXCLUDED.refresh_token, access_token = EXCLUDED.access_token, access_expires_at = EXCLUDED.access_expires_at,
       installed_at = EXCLUDED.installed_at, installed_by = EXCLUDED.installed_by, language = EXCLUDED.language, renewed_at = EXCLUDED.renewed_at,
       renewal_failed_at = NULL, renewal_error = NULL`,
    [
      install.portal,
      install.memberId,
      applicationTokenHash(install.applicationToken),
      install.sealedRefreshToken,
      install.sealedAccessToken,
      install.accessExpiresAt.toISOString(),
      install.installedBy,
      install.language,
      install.at.toISOString(),
    ],
  );
}

/** The renewal's answer, stored before its access token is used. */
export async function saveRenewal(
  db: Queryable,
  portal: string,
  sealed: { refreshToken: string; accessToken: string },
  accessExpiresAt: Date,
  renewedAt: Date,
): Promise<void> {
  await db.query(
    `UPDATE portal_installs SET refresh_token = $2, access_token = $3, access_expires_at = $4, renewed_at = $5,
       renewal_failed_at = NULL, renewal_error = NULL WHERE portal = $1`,
    [portal, sealed.refreshToken, sealed.accessToken, accessExpiresAt.toISOString(), renewedAt.toISOString()],
  );
}

/** The OAuth server refused the refresh token for good; true the first time (so it is logged once). */
export async function markRenewalFailed(db: Queryable, portal: string, error: string): Promise<boolean> {
  const rows = await db.query(
    'UPDATE portal_installs SET renewal_failed_at = now(), renewal_error = $2 WHERE portal = $1 AND renewal_failed_at IS NULL RETURNING 1',
    [portal, error],
  );
  return rows.length === 1;
}

/** Portals whose refresh token was last renewed before `before` and still works: renewed so it never lapses. */
export async function staleInstalls(db: Queryable, before: Date): Promise<string[]> {
  const rows = await db.query<{ portal: string }>(
    'SELECT portal FROM portal_installs WHERE renewal_failed_at IS NULL AND renewed_at < $1 ORDER BY renewed_at',
    [before.toISOString()],
  );
  return rows.map((row) => row.portal);
}

/** Forgets the portal's credentials and its server-side webhooks (their deliveries and attempts go with them). */
export async function forgetInstall(db: Queryable, portal: string): Promise<void> {
  await db.query('DELETE FROM webhooks WHERE portal = $1', [portal]);
  await db.query('DELETE FROM portal_installs WHERE portal = $1', [portal]);
}

export async function isInstalled(db: Queryable, portal: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM portal_installs WHERE portal = $1', [portal])).length === 1;
}

export type RegistrationOutcome = 'present' | 'rebound' | 'failed';

export async function saveRegistrationCheck(
  db: Queryable,
  portal: string,
  outcome: RegistrationOutcome,
  detail: string | null,
  at: Date,
): Promise<void> {
  await db.query(
    'UPDATE portal_installs SET registration_checked_at = $2, registration_outcome = $3, registration_detail = $4 WHERE portal = $1',
    [portal, at.toISOString(), outcome, detail?.slice(0, 500) ?? null],
  );
}

export async function saveWorkerTarget(db: Queryable, portal: string, target: unknown): Promise<void> {
  await db.query('UPDATE portal_installs SET worker_target = $2::jsonb WHERE portal = $1', [
    portal,
    JSON.stringify(target),
  ]);
}

/** The portal a notice names, among those installed here: by member id, else by domain. */
export async function installedPortalOf(
  db: Queryable,
  memberId: string | null,
  domain: string | null,
): Promise<string | null> {
  const [row] = await db.query<{ portal: string }>(
    'SELECT portal FROM portal_installs WHERE ($1::text IS NOT NULL AND member_id = $1) OR ($1::text IS NULL AND portal = $2) LIMIT 1',
    [memberId, domain],
  );
  return row?.portal ?? null;
}

export async function installedPortals(db: Queryable): Promise<string[]> {
  return (await db.query<{ portal: string }>('SELECT portal FROM portal_installs ORDER BY portal')).map(
    (row) => row.portal,
  );
}

export interface RegistrationState {
  workerTarget: unknown;
  checkedAt: Date | null;
  outcome: RegistrationOutcome | null;
  detail: string | null;
}

export async function registrationOf(db: Queryable, portal: string): Promise<RegistrationState | null> {
  const [row] = await db.query<RegistrationState>(
    `SELECT worker_target AS "workerTarget", registration_checked_at AS "checkedAt", registration_outcome AS outcome, registration_detail AS detail
     FROM portal_installs WHERE portal = $1`,
    [portal],
  );
  return row ?? null;
}

/** The app's ID in the portal (app.info), for links to its page. */
export async function saveAppId(db: Queryable, portal: string, appId: string): Promise<void> {
  await db.query('UPDATE portal_installs SET app_id = $2 WHERE portal = $1', [portal, appId.slice(0, 40)]);
}
