// The app's own access to each portal installed here: tokens kept sealed, an access token handed
// out while it is good, and renewed (one renewal per portal at a time, across servers) when it is
// not. The new refresh token is stored before the new access token is used: the OAuth server has
// already retired the old one. Refresh tokens unused for about 28 days lapse, so every portal's is
// renewed at least weekly.
import type { Driver, Queryable } from '../db/index.ts';
import { renewTokens, type OAuthSettings } from './oauth-client.ts';
import { findInstall, markRenewalFailed, saveRenewal, staleInstalls } from './install-store.ts';
import { createPortalLock } from './portal-lock.ts';
import type { SecretBox } from './secret-box.ts';

/** An access token this close to its end is renewed rather than handed out. */
export const ACCESS_MARGIN_MS = 60_000;
/** Every portal's refresh token is renewed when it is older than this. */
export const RENEW_EVERY_MS = 7 * 24 * 3600_000;

export type AccessOutcome =
  | { ok: true; accessToken: string }
  | { ok: false; reason: 'not-installed' | 'renewal-refused' | 'unavailable'; detail: string };

export interface CredentialsDeps {
  db: Driver;
  box: SecretBox;
  oauth: OAuthSettings;
  fetch?: typeof fetch;
  now?: () => number;
  warn: (line: string) => void;
}

export interface Credentials {
  /** A good access token of the app for `portal`, renewed first when needed. */
  accessToken(portal: string): Promise<AccessOutcome>;
  /** Renews every portal whose refresh token is older than RENEW_EVERY_MS; resolves to how many were renewed. */
  renewStale(): Promise<number>;
  /** Runs `work` on the portal's credentials with no renewal beside it (an install replacing them). */
  exclusive<T>(portal: string, work: (db: Queryable) => Promise<T>): Promise<T>;
  /** Resolves once no renewal is under way: a renewal cut off before its answer is stored loses the portal its access. */
  idle(): Promise<void>;
}

export function createCredentials(deps: CredentialsDeps): Credentials {
  const now = deps.now ?? Date.now;
  const fetcher = deps.fetch ?? fetch;
  const lock = createPortalLock(deps.db);

  /** `renewBefore`: renew unless another server renewed since that instant. */
  const obtain = (portal: string, renewBefore: Date | null): Promise<AccessOutcome> =>
    lock(portal, async (db) => {
      const row = await findInstall(db, portal);
      if (!row) return { ok: false, reason: 'not-installed', detail: `${portal} is not installed here` };
      if (row.renewalFailedAt)
        return {
          ok: false,
          reason: 'renewal-refused',
          detail: `the OAuth server refused ${portal}'s refresh token (${row.renewalError ?? 'refused'}): reinstall the app`,
        };
      const access = deps.box.open(portal, row.accessToken);
      const due = renewBefore
        ? new Date(row.renewedAt).getTime() < renewBefore.getTime()
        : new Date(row.accessExpiresAt).getTime() - now() <= ACCESS_MARGIN_MS;
      if (access && !due) return { ok: true, accessToken: access };
      const refresh = deps.box.open(portal, row.refreshToken);
      if (!refresh) {
        if (await markRenewalFailed(db, portal, 'sealed with another key'))
          deps.warn(
            `credentials: ${portal}: the stored refresh token does not open with this B24_CLIENT_SECRET; reinstall the app`,
          );
        return {
          ok: false,
          reason: 'renewal-refused',
          detail: `${portal}'s refresh token was sealed with another B24_CLIENT_SECRET: reinstall the app`,
        };
      }
      const outcome = await renewTokens(fetcher, deps.oauth, refresh);
      if (outcome.kind === 'refused') {
        if (await markRenewalFailed(db, portal, outcome.error))
          deps.warn(
            `credentials: ${portal}: the OAuth server refused the refresh token (${outcome.error}); the app has no access there until it is reinstalled`,
          );
        return {
          ok: false,
          reason: 'renewal-refused',
          detail: `the OAuth server refused ${portal}'s refresh token (${outcome.error}): reinstall the app`,
        };
      }
      if (outcome.kind === 'unavailable') return { ok: false, reason: 'unavailable', detail: outcome.detail };
      const { tokens } = outcome;
      const sealed = {
        refreshToken: deps.box.seal(portal, tokens.refreshToken),
        accessToken: deps.box.seal(portal, tokens.accessToken),
      };
      await saveRenewal(db, portal, sealed, new Date(now() + tokens.expiresInS * 1000), new Date(now()));
      return { ok: true, accessToken: tokens.accessToken };
    });

  return {
    exclusive: (portal, work) => lock(portal, work),
    idle: () => lock.idle(),
    accessToken: (portal) => obtain(portal, null),
    async renewStale() {
      let renewed = 0;
      const before = new Date(now() - RENEW_EVERY_MS);
      for (const portal of await staleInstalls(deps.db, before)) {
        const outcome = await obtain(portal, before);
        if (outcome.ok) renewed += 1;
        else if (outcome.reason === 'unavailable')
          deps.warn(`credentials: ${portal}: the weekly renewal failed, tried again later: ${outcome.detail}`);
      }
      return renewed;
    },
  };
}
