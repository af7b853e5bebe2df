// The server's API, mounted under /api by the site: each feature's routes, composed. Every answer
// is JSON (the CSV and the event stream aside) and never cached; errors a route throws are answered
// by the site's one onError.
import { Hono } from 'hono';
import type { IncomingMessage } from 'node:http';
import { createTokenVerifier } from '../auth/verify-token.ts';
import { createRateLimiter } from './rate-limit.ts';
import type { Statistics } from '../holds/service.ts';
import { fail, type ApiDeps, type ApiEnv } from './api-context.ts';
import { eventsRoute } from '../holds/events-route.ts';
import { liveRoute } from '../holds/live-route.ts';
import { reportRoutes } from '../holds/report-routes.ts';
import type { Webhooks } from '../webhooks/service.ts';
import { confirmRoute, webhooksRoutes } from '../webhooks/routes.ts';
import type { AppCredentials } from '../credentials/service.ts';
import { portalRoutes } from '../credentials/portal-routes.ts';
import type { Alerts } from '../alerts/service.ts';
import { alertsRoutes } from '../alerts/routes.ts';

/** Batches one portal user may send per minute (a burst of as many), and all users together. */
export const BATCHES_PER_USER_PER_MINUTE = 600;
export const BATCHES_PER_MINUTE = 60_000;

export interface ApiOptions {
  /** null: statistics are off (no database); the routes that need it answer 404 and say so. */
  stats: Statistics | null;
  /** Server-side webhooks (they need the statistics' database); null or absent: none. */
  webhooks?: Webhooks | null;
  portalOrigins: readonly string[];
  clientOf: (req: IncomingMessage) => string;
  warn: (line: string) => void;
  /** The fetch used to ask portals; tests may count its calls. */
  fetch?: typeof fetch;
  /** The app's client id (`B24_CLIENT_ID`): a token counts only when the portal's `app.info` names it. */
  clientId?: string | null;
  /** The app's own credentials (B24_CLIENT_ID and B24_CLIENT_SECRET set); null or absent: none. */
  appCredentials?: AppCredentials | null;
  /** Hold alerts and the digest (they need the app's credentials); null or absent: none. */
  alerts?: Alerts | null;
  /** Only portals that installed the app here may use the API (the credentials are set and PORTAL_ORIGINS is not). */
  installedOnly?: boolean;
}

export interface Api {
  /** The routes, to be mounted under /api. */
  routes: Hono<ApiEnv>;
  /** Ends open event streams, so the server can close. */
  closeStreams(): void;
}

/** Route groups that need the database, and what each answers while statistics are off. */
const NEEDS_DATABASE: readonly (readonly [string, string])[] = [
  ['/events', 'statistics are off'],
  ['/report', 'statistics are off'],
  ['/webhooks', 'server-side webhooks keep their queue in the statistics database, and statistics are off'],
  ['/confirm', 'server-side webhooks keep their queue in the statistics database, and statistics are off'],
  ['/portal', "the app's credentials are kept in the statistics database, and statistics are off"],
  ['/settings', 'alerts are kept in the statistics database, and statistics are off'],
];

export function createApi(options: ApiOptions): Api {
  const app = new Hono<ApiEnv>();
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  });
  const appCredentials = options.appCredentials ?? null;
  app.get('/status', (c) => c.json({ stats: options.stats !== null, credentials: appCredentials !== null }));
  let closeStreams = (): void => undefined;
  const { stats } = options;
  if (stats === null) {
    for (const [path, reason] of NEEDS_DATABASE) {
      app.all(path, (c) => fail(c, 404, reason));
      app.all(`${path}/*`, (c) => fail(c, 404, reason));
    }
  } else {
    const deps: ApiDeps = {
      stats,
      verifier: createTokenVerifier({
        portalOrigins: options.portalOrigins,
        clientId: options.clientId ?? null,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(appCredentials && options.installedOnly
          ? { admits: (portal: string) => appCredentials.isInstalled(portal) }
          : {}),
      }),
      ingestLimiter: createRateLimiter({
        perKeyPerMinute: BATCHES_PER_USER_PER_MINUTE,
        globalPerMinute: BATCHES_PER_MINUTE,
        maxKeys: 100_000,
      }),
      clientOf: options.clientOf,
      warn: options.warn,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    const live = liveRoute(deps);
    closeStreams = live.closeAll;
    // Ingest queues new events for webhooks in the statement that stores them; the dispatcher then sends them at once.
    stats.ingest.onQueued(options.webhooks?.wake ?? null);
    app.route('/events', eventsRoute(deps));
    app.route('/portal', portalRoutes(deps, appCredentials));
    app.route('/settings/alerts', alertsRoutes(deps, options.alerts ?? null, appCredentials));
    if (options.webhooks) {
      app.route('/webhooks', webhooksRoutes(deps, options.webhooks));
      app.route('/confirm', confirmRoute(deps, options.webhooks));
    }
    app.route('/report/live', live.route);
    app.route('/report', reportRoutes(deps));
  }
  app.all('*', (c) => fail(c, 404, `no such endpoint: ${c.req.method} ${c.req.path}`));
  return { routes: app, closeStreams: () => closeStreams() };
}
