// The production server: the worker and app pages (GET and the portal's POST), static files from
// dist/, the portal's placement-error notices and a health check.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';
import { createApi, type Api } from './api/index.ts';
import type { ServerConfig } from './config.ts';
import { readBody, sendJson, sendText, sendTooLarge } from './http-io.ts';
import { loadPage, sendPage, type Page } from './pages.ts';
import { createNoticeList, parsePlacementNotice, type PlacementErrorNotice } from './placement-errors.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createServerLog, logPath, type LogSink } from './request-log.ts';
import { securityHeaders } from './security-headers.ts';
import { openStatistics, type Statistics } from './stats/service.ts';
import { startWebhooks } from './webhooks/service.ts';

/** The portal's form (DOMAIN, AUTH_ID, PLACEMENT_OPTIONS, ...) is a few hundred bytes. */
export const PAGE_POST_LIMIT = 64 * 1024;
export const NOTICE_BODY_LIMIT = 16 * 1024;
/** Placement-error notices accepted per minute from one address, and from all together. */
export const NOTICES_PER_ADDRESS_PER_MINUTE = 10;
export const NOTICES_PER_MINUTE = 30;
const SHUTDOWN_GRACE_MS = 5000;
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface RunningServer {
  url: string;
  port: number;
  server: http.Server;
  /** Stops accepting, lets requests in flight finish (at most a few seconds), then resolves. */
  close(): Promise<void>;
}

const defaultSink: LogSink = (line) => process.stdout.write(`${line}\n`);

/** The API under /api; without one, the API answers that statistics are off. */
export function createServer(config: ServerConfig, log: LogSink = defaultSink, api?: Api): http.Server {
  const indexFile = join(config.distDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`${indexFile} does not exist: build the app first (npm run build), or set DIST_DIR`);
  const serverLog = createServerLog(config.logFormat, log);
  const worker = loadPage(indexFile) as Page;
  const appPage = loadPage(join(config.distDir, 'app', 'index.html'));
  const pages = new Map<string, Page | null>([
    ['/', worker], ['/index.html', worker], ['/app', appPage], ['/app/', appPage], ['/app/index.html', appPage],
  ]);
  const statics = sirv(config.distDir, { etag: true, brotli: true, gzip: true, dotfiles: false });
  const headers = securityHeaders(config.portalOrigins);
  const notices = createNoticeList(config.placementErrorsMax);
  const limiter = createRateLimiter({ perKeyPerMinute: NOTICES_PER_ADDRESS_PER_MINUTE, globalPerMinute: NOTICES_PER_MINUTE, maxKeys: 10_000 });
  const startedAt = Date.now();
  const apiHandler = api ?? createApi({ stats: null, portalOrigins: config.portalOrigins, clientOf: (req) => clientAddress(req, config.trustProxy), warn: serverLog.error });

  const methodNotAllowed = (res: http.ServerResponse, allow: string): void =>
    sendText(res, 405, `Method not allowed. Allowed: ${allow}.`, { Allow: allow });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const readOnly = method === 'GET' || method === 'HEAD';

    if (pages.has(path)) {
      if (method === 'POST') {
        // The page does not depend on the form: with a declared length in bounds it is answered at
        // once and the body discarded as it arrives; a chunked body is read (and bounded) first.
        const declared = Number(req.headers['content-length']);
        if (Number.isSafeInteger(declared) && declared <= PAGE_POST_LIMIT) {
          req.resume();
        } else {
          const body = await readBody(req, PAGE_POST_LIMIT, false);
          if (body.kind === 'too-large') return sendTooLarge(res, PAGE_POST_LIMIT);
          if (body.kind === 'aborted') return;
        }
      } else if (!readOnly) return methodNotAllowed(res, 'GET, HEAD, POST');
      const page = pages.get(path);
      if (!page) return sendText(res, 404, 'The app page is not built: app/index.html is missing from the deployed files.');
      return sendPage(req, res, page);
    }

    if (path === '/placement-error') {
      if (readOnly) return listNotices(req, res);
      if (method !== 'POST') return methodNotAllowed(res, 'GET, HEAD, POST');
      return receiveNotice(req, res);
    }

    if (path === '/api' || path.startsWith('/api/')) return apiHandler.handle(req, res);

    if (path === '/healthz') {
      if (!readOnly) return methodNotAllowed(res, 'GET, HEAD');
      return sendJson(res, 200, { status: 'ok', uptimeS: Math.round((Date.now() - startedAt) / 1000) });
    }

    if (!readOnly) return methodNotAllowed(res, 'GET, HEAD');
    // sirv lists the files once at start and streams them without an error handler: a file deleted
    // since (a rebuild in place) would crash the process, so a missing file is a 404 here instead.
    if (!path.endsWith('/') && !existsSync(join(config.distDir, safeDecode(path)))) return sendText(res, 404, 'Not found.');
    res.setHeader('Cache-Control', path.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
    statics(req, res, () => {
      res.removeHeader('Cache-Control');
      sendText(res, 404, 'Not found.');
    });
  }

  /**
   * A portal's own notices for its app page (`?member_id=`, plus those that name only its `domain`);
   * the whole list only to a request made on this machine, not through a proxy.
   */
  function listNotices(req: http.IncomingMessage, res: http.ServerResponse): void {
    const query = new URL(req.url ?? '/', 'http://server').searchParams;
    const memberId = query.get('member_id');
    const domain = query.get('domain');
    const onThisMachine = isLoopback(req.socket.remoteAddress) && req.headers['x-forwarded-for'] === undefined;
    if (!memberId && !onThisMachine) {
      return sendText(res, 403, 'Name your portal: /placement-error?member_id=<its member_id>. The whole list is shown on the server machine only.');
    }
    const mine = (n: PlacementErrorNotice) => !memberId || n.memberId === memberId || (n.memberId === null && domain !== null && n.domain === domain);
    sendJson(res, 200, { max: config.placementErrorsMax, notices: notices.list().filter(mine) });
  }

  async function receiveNotice(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const address = clientAddress(req, config.trustProxy);
    const waitMs = limiter.take(address);
    if (waitMs > 0) {
      return sendText(res, 429, 'Too many placement-error notices; retry later.', { 'Retry-After': Math.ceil(waitMs / 1000), Connection: 'close' });
    }
    const body = await readBody(req, NOTICE_BODY_LIMIT, true);
    if (body.kind === 'too-large') return sendTooLarge(res, NOTICE_BODY_LIMIT);
    if (body.kind === 'aborted') return;
    const parsed = parsePlacementNotice(body.body, req.headers['content-type']);
    if (!parsed.ok) return sendText(res, parsed.status, `Rejected: ${parsed.reason}.`);
    notices.add(parsed.notice);
    serverLog.placementError(parsed.notice, address);
    sendJson(res, 200, { status: 'stored' });
  }

  const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000, noDelay: true }, (req, res) => {
    const started = performance.now();
    const path = logPath(req.url);
    res.once('close', () => {
      const bytes = req.method === 'HEAD' || res.statusCode === 304 ? 0 : Number(res.getHeader('content-length') ?? 0);
      serverLog.request({ method: req.method ?? '?', path, status: res.statusCode, bytes, ms: performance.now() - started, aborted: !res.writableFinished });
    });
    for (const [name, value] of headers) res.setHeader(name, value);
    if (!server.listening) res.setHeader('Connection', 'close');
    if (!path.startsWith('/')) return sendText(res, 400, 'Bad request target.');
    handle(req, res, path).catch((error: unknown) => {
      serverLog.error(`${req.method} ${path} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'Internal server error.');
      else res.destroy();
    });
  });
  return server;
}

/** The socket's peer, or with trustProxy the last X-Forwarded-For entry: the one our own proxy added. */
export function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const last = typeof forwarded === 'string' ? forwarded.split(',').at(-1)?.trim() : undefined;
  return (trustProxy && last ? last : req.socket.remoteAddress) ?? 'unknown';
}

function isLoopback(address: string | undefined): boolean {
  return address === '::1' || address === '127.0.0.1' || address === '::ffff:127.0.0.1';
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Opens the statistics (when on), creates the server and listens on `config.port`/`config.host`. */
export async function startServer(config: ServerConfig, log?: LogSink): Promise<RunningServer> {
  const warn = createServerLog(config.logFormat, log ?? defaultSink).error;
  const stats: Statistics | null = config.stats ? await openStatistics(config, warn) : null;
  const webhooks = stats ? startWebhooks(stats.db, { allowPrivate: config.webhooksAllowPrivate, warn }) : null;
  const closeData = async (): Promise<void> => {
    await webhooks?.close();
    await stats?.close();
  };
  const api = createApi({ stats, webhooks, portalOrigins: config.portalOrigins, clientOf: (req) => clientAddress(req, config.trustProxy), warn });
  let server: http.Server;
  try {
    server = createServer(config, log, api);
  } catch (error) {
    await closeData();
    throw error;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => void closeData().finally(() => reject(error)));
    // Without a host Node listens on :: when the machine has IPv6, else on 0.0.0.0.
    const onListening = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (config.host === '::') server.listen(config.port, onListening);
    else server.listen(config.port, config.host, onListening);
  });
  const port = (server.address() as AddressInfo).port;
  const shown = config.host === '::' || config.host === '0.0.0.0' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    server,
    async close() {
      api.closeStreams();
      await closeGracefully(server, SHUTDOWN_GRACE_MS);
      await closeData();
    },
  };
}

function closeGracefully(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
