// `/api/settings/alerts` (admins): the portal's hold alerts and morning digest. They need the app's
// own credentials (B24_CLIENT_ID and B24_CLIENT_SECRET) and the portal installed here, since only
// the app's own token may send the portal's notifications.
// - `GET` -> the settings; `PUT` the whole settings -> them as stored (400 with the field when bad);
// - `POST /test` -> a test alert to the supervisors in the body (or the stored ones) now.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import { AlertSettingsSchema } from './alert-settings.ts';
import type { Alerts } from './service.ts';
import type { AppCredentials } from '../credentials/service.ts';
import { fail, requireAdmin, requireUser, type ApiDeps, type ApiEnv } from '../http/api-context.ts';
import { validJson } from '../http/valid-json.ts';

const BODY_LIMIT = 8 * 1024;
export const AlertTestInput = v.strictObject({ supervisors: v.optional(AlertSettingsSchema.entries.supervisors) });

export function alertsRoutes(deps: ApiDeps, alerts: Alerts | null, credentials: AppCredentials | null): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  routes.use('*', requireUser(deps));
  routes.use('*', async (c, next) => {
    if (!alerts || !credentials)
      return fail(
        c,
        404,
        "alerts need the app's own credentials: set B24_CLIENT_ID and B24_CLIENT_SECRET on the server and install the app again",
      );
    if (!(await credentials.isInstalled(c.get('identity').portal)))
      return fail(
        c,
        409,
        'the app is not installed from this server in this portal: install it again so the server gets its credentials',
      );
    await next();
  });
  // Reading uses the cached admin answer; a change asks the portal at once.
  const limit = bodyLimit({ maxSize: BODY_LIMIT, onError: (c) => fail(c, 413, `at most ${BODY_LIMIT / 1024} kB`) });
  routes.get('/', requireAdmin(deps), async (c) => c.json(await (alerts as Alerts).settings(c.get('identity').portal)));
  routes.put('/', limit, requireAdmin(deps, { fresh: true }), validJson(AlertSettingsSchema), async (c) => {
    const portal = c.get('identity').portal;
    await (alerts as Alerts).save(portal, c.req.valid('json'));
    return c.json(await (alerts as Alerts).settings(portal));
  });
  routes.post(
    '/test',
    limit,
    requireAdmin(deps, { fresh: true }),
    validJson(AlertTestInput, 'supervisors'),
    async (c) => {
      const portal = c.get('identity').portal;
      const stored = await (alerts as Alerts).settings(portal);
      const to = c.req.valid('json').supervisors ?? stored.supervisors;
      if (to.length === 0)
        return fail(c, 400, 'supervisors: name at least one person to send the test alert to', {
          field: 'supervisors',
        });
      const outcome = await (alerts as Alerts).test(portal, to, stored.holdAlertSec);
      return c.json(outcome, outcome.error && outcome.sentTo.length === 0 ? 502 : 200);
    },
  );
  return routes;
}
