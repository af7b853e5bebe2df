// `/api/portal/*`: the portal's own app events and what this server holds of the portal.
// - `POST /events`: ONAPPINSTALL and ONAPPUNINSTALL, form-encoded, from the portal (no bearer token:
//   an install is checked with the portal and the OAuth server, an uninstall by the
//   application_token the install gave). Anything else: 400 or 401, logged, nothing changed.
// - `GET /status` (admins): whether this server holds the portal's credentials, their renewal, the
//   worker registration's last check, and the REST log of the last 3 days.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { rateKey } from '../http/client-address.ts';
import type { AppCredentials } from './service.ts';
import { parsePortalEvent } from './portal-event.ts';
import { createRateLimiter } from '../http/rate-limit.ts';
import { fail, requireAdmin, requireUser, type ApiDeps, type ApiEnv } from '../http/api-context.ts';

export const PORTAL_EVENT_BODY_LIMIT = 16 * 1024;
/** Portal events one client may post per minute: a portal sends one per install or uninstall. */
export const PORTAL_EVENTS_PER_CLIENT_PER_MINUTE = 20;

export function portalRoutes(deps: ApiDeps, app: AppCredentials | null): Hono<ApiEnv> {
  const limiter = createRateLimiter({
    perKeyPerMinute: PORTAL_EVENTS_PER_CLIENT_PER_MINUTE,
    globalPerMinute: 600,
    maxKeys: 10_000,
  });
  const routes = new Hono<ApiEnv>();
  routes.post(
    '/events',
    bodyLimit({
      maxSize: PORTAL_EVENT_BODY_LIMIT,
      onError: (c) => fail(c, 413, `a portal event is at most ${PORTAL_EVENT_BODY_LIMIT / 1024} kB`),
    }),
    async (c) => {
      const waitMs = limiter.take(rateKey(deps.clientOf(c.env.incoming)));
      if (waitMs > 0) return fail(c, 429, 'too many portal events from this client', {}, Math.ceil(waitMs / 1000));
      if (!app) return fail(c, 404, 'this server keeps no app credentials: set B24_CLIENT_ID and B24_CLIENT_SECRET');
      const parsed = parsePortalEvent(await c.req.text());
      if (!parsed.ok) {
        deps.warn(`credentials: a portal event was refused: ${parsed.reason}`);
        return fail(c, 400, parsed.reason);
      }
      const { event } = parsed;
      const outcome = event.kind === 'install' ? await app.acceptInstall(event) : await app.acceptUninstall(event);
      if (!outcome.ok) {
        deps.warn(`credentials: ${event.kind} of ${event.domain} refused (${outcome.status}): ${outcome.error}`);
        return fail(c, outcome.status, outcome.error);
      }
      return c.json({ status: outcome.detail });
    },
  );
  routes.get('/status', requireUser(deps), requireAdmin(deps), async (c) => {
    if (!app) return c.json({ configured: false });
    return c.json({ configured: true, ...(await app.status(c.get('identity').portal)) });
  });
  return routes;
}
