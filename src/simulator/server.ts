// The local portal simulator: a second origin that frames the built worker exactly as Bitrix24 does,
// with a REST endpoint and a webhook receiver. Its page (src/simulator/page) plays the portal.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import sirv from 'sirv';
import { demoOption, demoSecret } from './demo-option.ts';
import { BodyTooLarge, parseJsonObject, readBody, sendJson } from './http.ts';
import { avatarSvg } from './directory.ts';
import { ADMIN, OPERATOR, RestPortal, USERS } from './rest-portal.ts';
import { monthOfHolds, SEED_MAX_DAYS, sendSeed, sumSeed } from './seed.ts';
import { SINK_MODES, WebhookSink, type SinkMode } from './sink.ts';
import { createAppLifecycle, type AppLifecycle } from './app-lifecycle.ts';
import { createOAuthIssuer } from './oauth-issuer.ts';

export interface SimulatorOptions {
  port: number;
  host?: string;
  /** The worker's URL (the PAGE_BACKGROUND_WORKER handler), on another origin. */
  appUrl: string;
  /** The app's monitor page, absolute or relative to appUrl; default `/monitor/`. */
  monitorUrl?: string;
  /** The built simulator page; default `<repo>/dist-simulator`. */
  staticDir?: string;
  /** The initial holdRelay option (JSON); default: every output, the webhook pointed at this simulator. */
  option?: string | null;
  /** The app server keeps hold statistics: the starting option sends every event there too. */
  statistics?: boolean;
  /** What `app.info` names as this app's CODE (its client id, the app server's B24_CLIENT_ID); default SIM_APP_CODE. */
  appCode?: string;
  /**
   * The local app's Application ID and key, as the portal shows them: with them the simulator plays
   * the OAuth server (`/oauth/token/`), answers app.info with this client id, and delivers the app's
   * install and uninstall events. Absent: no OAuth server.
   */
  credentials?: { clientId: string; clientSecret: string; accessSeconds?: number };
}

export interface Simulator {
  url: string;
  origin: string;
  sink: WebhookSink;
  rest: RestPortal;
  /** Install and uninstall events and the worker's switch-off notice (with `credentials`). */
  lifecycle: AppLifecycle | null;
  close(): Promise<void>;
}

const DEFAULT_STATIC_DIR = resolve(import.meta.dirname, '../../dist-simulator');

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    throw new Error(`${staticDir}/index.html does not exist: build the simulator first (npm run build)`);
  }
  const appOrigin = new URL(options.appUrl).origin;
  const monitorUrl = new URL(options.monitorUrl ?? '/monitor/', options.appUrl).href;
  const secret = demoSecret();
  const sink = new WebhookSink(secret);
  const rest = new RestPortal(appOrigin);
  if (options.appCode) rest.appCode = options.appCode;
  let origin = '';
  const issuer = options.credentials
    ? createOAuthIssuer({
        ...options.credentials,
        onIssued: (tokens) => rest.acceptAppToken(tokens.access_token, ADMIN, tokens.expires_in),
      })
    : null;
  if (options.credentials) rest.appCode = options.credentials.clientId;
  const lifecycle = issuer
    ? createAppLifecycle({ rest, issuer, domain: () => new URL(origin).host, protocol: 'http' })
    : null;
  const assets = sirv(staticDir, {
    etag: true,
    dev: false,
    setHeaders: (res) => res.setHeader('cache-control', 'no-cache'),
  });

  const headers = {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      `frame-src ${appOrigin}`,
      `form-action ${appOrigin}`,
      "connect-src 'self'",
      "img-src 'self' data:",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };

  const control = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    const body = async () => (req.method === 'POST' ? (parseJsonObject(await readBody(req)) ?? {}) : {});
    switch (`${req.method} ${path}`) {
      case 'GET /sim/config.json':
        sendJson(res, 200, {
          appUrl: options.appUrl,
          appOrigin,
          appPageUrl: new URL('/app/', options.appUrl).href,
          monitorUrl,
          sinkUrl: `${origin}/sink`,
          holdRelay: rest.appOptions.holdRelay ?? null,
          appOptions: rest.appOptions,
        });
        return true;
      case 'POST /sim/seed': {
        // Through the app's own API, as the worker's server output would send it.
        // No further back than the server takes events.
        const days = Math.min(SEED_MAX_DAYS, Math.max(1, Number((await body()).days) || SEED_MAX_DAYS));
        const month = monthOfHolds({
          operators: USERS.filter((u) => !u.isAdmin)
            .slice(0, 8)
            .map((u) => u.id),
          days,
          now: Date.now(),
        });
        const eventsUrl = new URL('/api/events', options.appUrl).href;
        const tokenFor = (id: number) => rest.grant(USERS.find((u) => u.id === id) ?? OPERATOR).AUTH_ID;
        const domain = new URL(origin).host;
        const sent = await sendSeed({ eventsUrl, domain, tokenFor }, month)
          .then(async (counts) => {
            await sumSeed(
              { reportUrl: new URL('/api/report', options.appUrl).href, domain, adminToken: rest.grant(ADMIN).AUTH_ID },
              days,
              Date.now(),
            );
            return counts;
          })
          .catch((error: unknown) => ({ error: String(error) }));
        sendJson(res, 'error' in sent ? 502 : 200, sent);
        return true;
      }
      case 'POST /sim/auth': {
        const { role, userId } = await body();
        const named = USERS.find((user) => user.id === userId);
        sendJson(res, 200, rest.grant(named ?? (role === 'admin' ? ADMIN : OPERATOR)));
        return true;
      }
      case 'POST /sim/options': {
        const { holdRelay } = await body();
        if (typeof holdRelay === 'string' && holdRelay.trim() !== '') rest.appOptions.holdRelay = holdRelay;
        else delete rest.appOptions.holdRelay;
        sendJson(res, 200, { holdRelay: rest.appOptions.holdRelay ?? null });
        return true;
      }
      case 'GET /sim/sink':
        sendJson(res, 200, { mode: sink.mode, summary: sink.summary(), attempts: sink.attempts.slice(-200) });
        return true;
      case 'POST /sim/sink/mode': {
        const { mode } = await body();
        if (!SINK_MODES.includes(mode as SinkMode)) {
          sendJson(res, 400, { error: `mode must be one of ${SINK_MODES.join(', ')}` });
          return true;
        }
        sink.setMode(mode as SinkMode);
        sendJson(res, 200, { mode: sink.mode });
        return true;
      }
      case 'POST /sim/sink/clear':
        sink.clear();
        sendJson(res, 200, { cleared: true });
        return true;
      case 'POST /sim/app-installed':
      case 'POST /sim/uninstall':
      case 'POST /sim/forged-uninstall':
      case 'POST /sim/placement-overtime': {
        if (!lifecycle) {
          sendJson(res, 404, {
            error: "the simulator plays no OAuth server: start it with the app's credentials (npm start does)",
          });
          return true;
        }
        const { clean } = await body();
        const sent =
          path === '/sim/app-installed'
            ? await lifecycle.installed()
            : path === '/sim/uninstall'
              ? await lifecycle.uninstall(clean === true)
              : path === '/sim/forged-uninstall'
                ? await lifecycle.forgedUninstall(clean === true)
                : await lifecycle.overtime();
        sendJson(res, 200, { deliveries: sent });
        return true;
      }
      case 'GET /sim/app-events':
        sendJson(res, 200, {
          credentials: lifecycle !== null,
          eventBindings: rest.eventBindings,
          deliveries: lifecycle?.deliveries.slice(-50) ?? [],
          oauthRenewals: issuer?.renewals() ?? 0,
        });
        return true;
      case 'GET /sim/notifications':
        sendJson(res, 200, { notifications: rest.notifications.slice(-100) });
        return true;
      case 'GET /sim/rest/calls':
        sendJson(res, 200, { calls: rest.calls.slice(-200), placements: rest.placements });
        return true;
      default:
        return false;
    }
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    const handle = async () => {
      if (path === '/sink') return sink.handle(req, res);
      if (path.startsWith('/rest/'))
        return rest.handle(req, res, decodeURIComponent(path.slice('/rest/'.length)).replace(/\.json$/, ''));
      if (path === '/oauth/token/' && issuer) {
        const answer = issuer.token(new URL(req.url ?? '/', 'http://sim').searchParams);
        return sendJson(res, answer.status, answer.body);
      }
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      if (path.startsWith('/sim/') && (await control(req, res, path))) return;
      const avatar = /^\/sim\/avatar\/(\d+)\.svg$/.exec(path);
      const person = avatar ? USERS.find((u) => u.id === Number(avatar[1])) : undefined;
      if (person) {
        res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=3600' }).end(avatarSvg(person));
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'GET only' });
      assets(req, res, () => sendJson(res, 404, { error: `${path} not found` }));
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendJson(res, error instanceof BodyTooLarge ? 413 : 500, { error: String(error) });
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, host, () => done());
  });
  const { port } = server.address() as { port: number };
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  rest.photoBase = origin;
  if (options.option !== null)
    rest.appOptions.holdRelay = options.option ?? demoOption(`${origin}/sink`, secret, options.statistics === true);

  return {
    url: origin,
    origin,
    sink,
    rest,
    lifecycle,
    close: () =>
      new Promise<void>((done) => {
        sink.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
