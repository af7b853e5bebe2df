// The worker (`/`) and the app page (`/app/`): GET, HEAD and the portal's POST. The page does not
// depend on the form: with a declared length in bounds it is answered at once and the body
// discarded as it arrives; a chunked body is read (and bounded) first. Written straight to Node's
// response, as the portal opens the worker on every page of every operator.
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { methodNotAllowed, textAnswer, tooLargeAnswer } from './answers.ts';
import { readBody } from './http-io.ts';
import { sendPage, type Page } from './pages.ts';

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

export function pageRoutes(pages: PageSet): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  for (const [kind, paths] of Object.entries(PATHS)) {
    const page = kind === 'worker' ? pages.worker : pages.appPage;
    for (const path of paths) {
      app.on(['GET', 'HEAD', 'POST'], path, async (c) => {
        const { incoming: req, outgoing: res } = c.env;
        if (req.method === 'POST') {
          const declared = Number(req.headers['content-length']);
          if (Number.isSafeInteger(declared) && declared <= PAGE_POST_LIMIT) {
            req.resume();
          } else {
            const body = await readBody(req, PAGE_POST_LIMIT, false);
            if (body.kind === 'too-large') return tooLargeAnswer(PAGE_POST_LIMIT);
            if (body.kind === 'aborted') return textAnswer(400, 'The request was aborted.');
          }
        }
        if (!page)
          return textAnswer(
            404,
            'The app page is not built: app/index.html is missing from the deployed files (or links outside them).',
          );
        if (page === pages.appPage) for (const [name, value] of pages.appPageHeaders) res.setHeader(name, value);
        if (page === pages.worker && pages.workerPolicy) res.setHeader('Content-Security-Policy', pages.workerPolicy);
        sendPage(req, res, page);
        return RESPONSE_ALREADY_SENT;
      });
      app.all(path, () => methodNotAllowed('GET, HEAD, POST'));
    }
  }
  return app;
}
