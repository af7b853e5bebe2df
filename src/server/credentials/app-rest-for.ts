// What acting in a portal with the app's own token takes, and the one way to get a REST caller
// for it: the portal's allowed origin, a good access token (renewed when due), and every call
// noted in the REST log.
import { allowedOrigin } from '../auth/portal-origin.ts';
import type { Driver } from '../db/index.ts';
import { createAppRest, type AppRest } from './app-rest.ts';
import type { Credentials } from './credentials-service.ts';
import { recordRestCall } from './rest-log.ts';

/** What a feature that acts in portals on its own needs. */
export interface PortalAccess {
  db: Driver;
  credentials: Credentials;
  portalOrigins: readonly string[];
  fetch?: typeof fetch;
  now?: () => number;
}

/** A REST caller for `portal` with the app's token, or why there is none. */
export async function appRestFor(
  access: PortalAccess,
  portal: string,
): Promise<{ ok: true; rest: AppRest } | { ok: false; error: string }> {
  const origin = allowedOrigin(portal, access.portalOrigins);
  if (!origin) return { ok: false, error: `${portal} is not an allowed portal (PORTAL_ORIGINS)` };
  const token = await access.credentials.accessToken(portal);
  if (!token.ok) return { ok: false, error: token.detail };
  return {
    ok: true,
    rest: createAppRest({
      origin,
      token: token.accessToken,
      ...(access.fetch ? { fetch: access.fetch } : {}),
      ...(access.now ? { now: access.now } : {}),
      record: (call) => recordRestCall(access.db, portal, call),
    }),
  };
}
