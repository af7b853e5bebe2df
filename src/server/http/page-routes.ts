// The worker (`/`) and the app page (`/app/`): GET, HEAD and the portal's POST. The page does not
// depend on the form: with a declared length in bounds it is answered at once and the body
// discarded as it arrives; a chunked body is read (and bounded) first. The page is held in memory
// and answered in one write, as the portal opens the worker on every page of every operator.
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { IncomingMessage } from 'node:http';
import { methodNotAllowed, textAnswer, tooLargeAnswer } from './answers.ts';
import { readBody } from './http-io.ts';
import { pageResponse, type Page } from './pages.ts';

/** The portal's form (DOMAIN, AUTH_ID, PLACEMENT_OPTIONS, ...) is a few hundred bytes. */
export const PAGE_POST_LIMIT = 64 * 1024;

export interface PageSet {
  worker: Page;
  /** null: the app page is not among the deployed files. */
  appPage: Page | null;
  /** The worker's Content-Security-Policy (its inline script's hash), or null. */
  workerPolicy: string | null;
  /** Headers only the app page gets. */
  appPageHeaders: Iterable<readonly [string, string]>;
}

const PATHS = { worker: ['/', '/index.html'], app: ['/app', '/app/', '/app/index.html'] } as const;

const PAGE_METHODS = new Set(['GET', 'HEAD', 'POST']);

/**
 * One handler per path for every method, so Hono finds exactly one and calls it directly, and an
 * answer returned at once (a Response whose body is in memory, which the Node adapter writes as it
 * is) unless a chunked or undeclared body must be read first.
 */
export function pageRoutes(pages: PageSet): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  for (const [kind, paths] of Object.entries(PATHS)) {
    const page = kind === 'worker' ? pages.worker : pages.appPage;
    const headers: Record<string, string> =
      kind === 'worker'
        ? pages.workerPolicy
          ? { 'Content-Security-Policy': pages.workerPolicy }
          : {}
        : Object.fromEntries(pages.appPageHeaders);
    const answer = (req: IncomingMessage): Response =>
      page
        ? pageResponse(req, page, headers)
        : textAnswer(
            404,
            'The app page is not built: app/index.html is missing from the deployed files (or links outside them).',
          );
    for (const path of paths) {
      app.all(path, (c): Response | Promise<Response> => {
        const req = c.env.incoming;
        if (!PAGE_METHODS.has(req.method ?? '')) return methodNotAllowed('GET, HEAD, POST');
        if (req.method !== 'POST') return answer(req);
        const declared = Number(req.headers['content-length']);
        if (Number.isSafeInteger(declared) && declared <= PAGE_POST_LIMIT) {
          req.resume();
          return answer(req);
        }
        return readBody(req, PAGE_POST_LIMIT, false).then((body) => {
          if (body.kind === 'too-large') return tooLargeAnswer(PAGE_POST_LIMIT);
          if (body.kind === 'aborted') return textAnswer(400, 'The request was aborted.');
          return answer(req);
        });
      });
    }
  }
  return app;
}
