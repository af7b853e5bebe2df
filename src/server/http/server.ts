// The production server: the worker and app pages (GET and the portal's POST), static files from
// dist/, the portal's placement-error notices and a health check.
import { existsSync, realpathSync } from 'node:fs';
import { getRequestListener } from '@hono/node-server';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApi, type Api } from './api.ts';
import { clientAddress } from './client-address.ts';
import { portalOriginsUnset, type ServerConfig } from '../config.ts';
import { startAppCredentials, type AppCredentials } from '../credentials/service.ts';
import { startAlerts } from '../alerts/service.ts';
import { sendText } from './http-io.ts';
import { armDeadlines } from './deadlines.ts';
import { listenHealth, type HealthListener } from './health-listener.ts';
import { noticeBounds, noticeRoutes } from '../notices/routes.ts';
import { createSite } from './site.ts';
import type { NoticeStore } from '../notices/memory-store.ts';
import { loadPage, readScriptHashes, type Page } from './pages.ts';
import { createServerLog, logPath, type LogSink } from './request-log.ts';
import { APP_PAGE_HEADERS, contentSecurityPolicy, securityHeaders } from './security-headers.ts';
import { createStaticFiles, realPathInside } from './static-files.ts';
import { createDatabaseNoticeStore } from '../notices/database-store.ts';
import { openStatistics, type Statistics } from '../holds/service.ts';
import type { Clock } from '../clock.ts';
import { setMaxPending } from '../webhooks/queue-sizes.ts';
import { startWebhooks } from '../webhooks/service.ts';

export { PAGE_POST_LIMIT } from './page-routes.ts';
const SHUTDOWN_GRACE_MS = 5000;

/**
 * Bounds on what slow or idle clients can hold. The proxy in front sends a request at once, so a
 * request whose headers take over 5 s, or whose whole body over 10 s, is an attack or a dead link.
 * Each connection is closed anywhere in the second half of its limit (src/server/http/deadlines.ts), so
 * connections opened together are not closed together.
 */
export interface ServerLimits {
  /** Open connections at most; more are closed as they arrive. */
  maxConnections: number;
  /** From a connection's first byte (or its previous response) to the end of the request's headers. */
  headersTimeoutMs: number;
  /** To the end of the request's body. */
  requestTimeoutMs: number;
  /**
   * Connections the kernel may queue before the server accepts them (capped by net.core.somaxconn).
   * Node's default of 511 overflows when thousands of clients reconnect at once, and a client whose
   * connection attempt is dropped waits a second before it tries again.
   */
  listenBacklog: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 10_000,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  listenBacklog: 4096,
};
/** How often Node checks the two timeouts (its default is 30 s, which would let them run long). */
const TIMEOUT_CHECK_MS = 500;

export interface RunningServer {
  url: string;
  port: number;
  /** The port that answers only /healthz (HEALTH_PORT), or null. */
  healthPort: number | null;
  server: http.Server;
  /** Stops accepting, lets requests in flight finish (at most a few seconds), then resolves. */
  close(): Promise<void>;
}

const defaultSink: LogSink = (line) => process.stdout.write(`${line}\n`);

/** Why `distDir` cannot be served (a setting to fix before start), or null when it holds a built site. */
export function distProblem(distDir: string): string | null {
  const indexFile = join(distDir, 'index.html');
  const where = `DIST_DIR=${JSON.stringify(distDir)}`;
  if (!existsSync(indexFile))
    return `${where}: ${indexFile} does not exist: build the app first (npm run build), or set DIST_DIR to the built site`;
  if (realPathInside(realpathSync.native(distDir), indexFile) === null)
    return `${where}: ${indexFile} links to a file outside DIST_DIR, which is never served`;
  return null;
}

/**
 * `api` serves /api; without one, the API answers that statistics are off. `notices` keeps the
 * placement-error notices; without one, this server's memory does.
 */
export function createServer(
  config: ServerConfig,
  log: LogSink = defaultSink,
  limits: ServerLimits = DEFAULT_LIMITS,
  api?: Api,
  notices?: NoticeStore,
): http.Server {
  const problem = distProblem(config.distDir);
  if (problem) throw new Error(problem);
  const serverLog = createServerLog(config.logFormat, log);
  const root = realpathSync.native(config.distDir);
  const pageInside = (file: string): Page | null => (realPathInside(root, file) === null ? null : loadPage(file));
  // The worker page runs one inline script (its early subscriptions), allowed by the hash its build recorded.
  const workerHashes = readScriptHashes(root, 'index.html');
  const site = createSite({
    pages: {
      worker: pageInside(join(config.distDir, 'index.html')) as Page,
      appPage: pageInside(join(config.distDir, 'app', 'index.html')),
      workerPolicy: workerHashes.length > 0 ? contentSecurityPolicy(config, workerHashes) : null,
      appPageHeaders: APP_PAGE_HEADERS,
    },
    notices: noticeRoutes(config, serverLog, notices),
    api: (
      api ??
      createApi({
        stats: null,
        portalOrigins: config.portalOrigins,
        clientOf: (req) => clientAddress(req, config.trustProxy),
        warn: serverLog.error,
      })
    ).routes,
    statics: createStaticFiles(config.distDir),
    startedAt: Date.now(),
    error: serverLog.error,
  });
  // The adapter's own Request and Response (it installs them as the globals, its default): a Response
  // with its body in memory is written in one call, with no stream or promise between, which keeps
  // the pages as fast as writing them straight to Node. Node's HTTP/1 server itself reads and discards
  // a body no route read, within the request deadline, so the adapter need not drain it again.
  const handle = getRequestListener(site.fetch, {
    autoCleanupIncoming: false,
    errorHandler: (error: unknown) =>
      serverLog.error(`a response could not be written: ${error instanceof Error ? error.message : String(error)}`),
  });
  const headers = securityHeaders(config);

  const server = http.createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
      keepAliveTimeout: 5_000,
      noDelay: true,
    },
    (req, res) => {
      const started = performance.now();
      const path = logPath(req.url);
      res.once('close', () => {
        const bytes =
          req.method === 'HEAD' || res.statusCode === 304 ? 0 : Number(res.getHeader('content-length') ?? 0);
        serverLog.request({
          method: req.method ?? '?',
          path,
          status: res.statusCode,
          bytes,
          ms: performance.now() - started,
          aborted: !res.writableFinished,
        });
      });
      for (const [name, value] of headers) res.setHeader(name, value);
      if (!server.listening) res.setHeader('Connection', 'close');
      if (!path.startsWith('/')) return sendText(res, 400, 'Bad request target.');
      void handle(req, res);
    },
  );
  server.maxConnections = limits.maxConnections;
  // Node's headers timeout starts with a connection's first byte, so one that sends nothing at all
  // would stay; this closes it too, and spreads the closing of connections opened together.
  armDeadlines(server, limits);
  return server;
}

/** Opens the statistics (when on), creates the server and listens on `config.port`/`config.host`. */
/** What tests change in a running server: the clocks some of its timers run on (the real one by default). */
export interface ServerHooks {
  /** The webhook dispatcher's and its log's. */
  clock?: Clock;
  /** The registration keeper's: the gap between two checks of one portal. */
  registrationClock?: Clock;
}

export async function startServer(
  config: ServerConfig,
  log?: LogSink,
  limits?: Partial<ServerLimits>,
  hooks: ServerHooks = {},
): Promise<RunningServer> {
  const bounds: ServerLimits = { ...DEFAULT_LIMITS, ...limits };
  const backlog = bounds.listenBacklog;
  const { error: warn, info } = createServerLog(config.logFormat, log ?? defaultSink);
  const stats: Statistics | null = config.stats ? await openStatistics(config, warn) : null;
  if (stats) await setMaxPending(stats.db, config.webhooksMaxPending);
  const webhooks = stats
    ? startWebhooks(stats.db, {
        allowPrivate: config.webhooksAllowPrivate,
        warn,
        ...(hooks.clock ? { clock: hooks.clock } : {}),
      })
    : null;
  const appCredentials =
    stats && config.b24ClientId && config.b24ClientSecret
      ? startAppCredentials({
          db: stats.db,
          oauth: { oauthUrl: config.b24OauthUrl, clientId: config.b24ClientId, clientSecret: config.b24ClientSecret },
          portalOrigins: config.portalOrigins,
          log: warn,
          info,
          ...(hooks.registrationClock ? { registrationClock: hooks.registrationClock } : {}),
        })
      : null;
  const alerts =
    stats && appCredentials
      ? startAlerts({
          db: stats.db,
          credentials: appCredentials.credentials,
          portalOrigins: config.portalOrigins,
          log: warn,
        })
      : null;
  const closeData = async (): Promise<void> => {
    await alerts?.close();
    await appCredentials?.close();
    await webhooks?.close();
    await stats?.close();
  };
  const api = createApi({
    stats,
    webhooks,
    portalOrigins: config.portalOrigins,
    clientId: config.b24ClientId,
    clientOf: (req) => clientAddress(req, config.trustProxy),
    warn,
    appCredentials,
    alerts,
    installedOnly: portalOriginsUnset(config),
  });
  const noticeStore = stats ? createDatabaseNoticeStore(stats.db, noticeBounds(config)) : undefined;
  let server: http.Server;
  try {
    // With statistics on, the notices are kept in their database, so every server sharing it lists them all.
    server = createServer(
      config,
      log,
      bounds,
      api,
      noticeStore && appCredentials ? checkingRegistration(noticeStore, appCredentials) : noticeStore,
    );
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
    if (config.host === '::') server.listen({ port: config.port, backlog }, onListening);
    else server.listen({ port: config.port, host: config.host, backlog }, onListening);
  });
  const port = (server.address() as AddressInfo).port;
  let health: HealthListener | null = null;
  if (config.healthPort !== null) {
    try {
      health = await listenHealth(config.host, config.healthPort, securityHeaders(config), Date.now());
    } catch (error) {
      await closeGracefully(server, 0);
      await closeData();
      throw Object.assign(error as Error, { healthPort: config.healthPort });
    }
  }
  const shown =
    config.host === '::' || config.host === '0.0.0.0'
      ? 'localhost'
      : config.host.includes(':')
        ? `[${config.host}]`
        : config.host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    healthPort: health?.port ?? null,
    server,
    async close() {
      await health?.close();
      api.closeStreams();
      await closeGracefully(server, SHUTDOWN_GRACE_MS);
      await closeData();
    },
  };
}

/** A notice store that also has the worker's registration checked for the portal a notice names (never trusting the notice itself). */
function checkingRegistration(store: NoticeStore, appCredentials: AppCredentials): NoticeStore {
  return {
    ...store,
    async add(portal, notice) {
      await store.add(portal, notice);
      void appCredentials.noticed({ memberId: notice.memberId, domain: notice.domain });
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
