// Every route of the server in one Hono app: the pages, the portal's placement-error notices, the
// API, the health check and the built site's other files. One onError answers what a route threw.
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context, type ErrorHandler } from 'hono';
import { DatabaseError } from '../db/database-error.ts';
import { DB_RETRY_AFTER_S, fail, type ApiEnv } from './api-context.ts';
import { jsonAnswer, methodNotAllowed, textAnswer } from './answers.ts';
import { healthReport } from './health-listener.ts';
import { targetPath } from './request-log.ts';
import { pageRoutes, type PageSet } from './page-routes.ts';
import type { StaticHandler } from './static-files.ts';

export type SiteEnv = { Bindings: HttpBindings };

export interface SiteParts {
  pages: PageSet;
  notices: Hono<SiteEnv>;
  /** The API's routes, mounted under /api. */
  api: Hono<ApiEnv>;
  statics: StaticHandler;
  startedAt: number;
  error: (line: string) => void;
}

export function createSite(parts: SiteParts): Hono<SiteEnv> {
  const site = new Hono<SiteEnv>();
  site.route('/', pageRoutes(parts.pages));
  site.route('/placement-error', parts.notices);
  site.route('/api', parts.api as unknown as Hono<SiteEnv>); // its routes set their own variables
  site.get('/healthz', () => jsonAnswer(200, healthReport(parts.startedAt)));
  // The built site's other files: the hashed assets on a route of their own (one handler, answered
  // at once), the rest (robots.txt, the monitor page) as whatever no route named. Whatever else no
  // route takes (another method on /healthz, on an asset or on a file) is a 405 naming GET and HEAD.
  const staticFile = (c: Context<SiteEnv>): Response => {
    // The path as the client sent it: the static files decode it themselves, once.
    parts.statics(c.env.incoming, c.env.outgoing, targetPath(c.env.incoming.url));
    return RESPONSE_ALREADY_SENT;
  };
  site.get('/assets/*', staticFile);
  site.notFound((c) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? staticFile(c) : methodNotAllowed('GET, HEAD'),
  );
  site.onError(answerError(parts.error));
  return site;
}

/**
 * What a route threw, answered: a database failure is an outage (503 with Retry-After, the details
 * in the log only), anything else a fault (500). JSON under /api, plain text elsewhere.
 */
export function answerError(log: (line: string) => void): ErrorHandler {
  return (error, c) => {
    const isApi = c.req.path === '/api' || c.req.path.startsWith('/api/');
    if (error instanceof DatabaseError) {
      log(`statistics: ${c.req.method} ${c.req.path}: the database failed: ${error.message}`);
      return isApi
        ? fail(c, 503, 'the statistics database is not available; retry later', {}, DB_RETRY_AFTER_S)
        : textAnswer(503, 'The database is not available now. Retry later.', { 'Retry-After': DB_RETRY_AFTER_S });
    }
    log(`${c.req.method} ${c.req.path} failed: ${error.stack ?? error.message}`);
    return isApi ? fail(c, 500, 'internal server error') : textAnswer(500, 'Internal server error.');
  };
}
