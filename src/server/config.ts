// The production server's settings, read from the environment once at start. Every bad variable is
// reported together in one error, so an operator fixes them all in one go.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseOriginList } from './auth/origins.ts';
import { DEFAULT_EVENTS_PER_PORTAL_DAY } from './holds/quota.ts';
import { DEFAULT_MAX_PENDING } from './webhooks/queue-sizes.ts';

export { parseOrigin as parsePortalOrigin } from './auth/origins.ts';

/** How request lines are logged: readable text, one JSON object per line, or not at all. */
export type LogFormat = 'text' | 'json' | 'none';

export interface ServerConfig {
  /** TCP port; 0 picks a free one. Env `PORT`, default 8080. */
  port: number;
  /**
   * Env `HEALTH_PORT`: a second port, on the same interface, that answers only `/healthz`, for a
   * probe that opens a new connection each time (an orchestrator, a monitor). Its connections never
   * queue behind the main port's. 0 picks a free one; null (the default) opens none.
   */
  healthPort: number | null;
  /**
   * Interface to listen on. Env `HOST`, default `127.0.0.1`: the TLS proxy in front connects over
   * loopback. `::` listens on every interface (IPv6 and IPv4), `0.0.0.0` on every IPv4 one.
   */
  host: string;
  /** Absolute path of the built site. Env `DIST_DIR`, default `<repo>/dist`. */
  distDir: string;
  /** Origins allowed to frame the pages (CSP `frame-ancestors`). Env `PORTAL_ORIGINS`. */
  portalOrigins: string[];
  /** Env `LOG_FORMAT`: `text` (default), `json`, or `none` (no request lines; warnings still print). */
  logFormat: LogFormat;
  /** How many recent placement-error notices `GET /placement-error` keeps (0-1000). Env `PLACEMENT_ERRORS_MAX`, default 100. */
  placementErrorsMax: number;
  /**
   * Env `TRUST_PROXY=1` behind a proxy of your own that appends X-Forwarded-For: the client address
   * (for rate limits and logs) is then that header's last entry. Default off: the header is ignored.
   */
  trustProxy: boolean;
  /** Hold statistics and the /api endpoints. Env `STATS=off` switches them off; default on. */
  stats: boolean;
  /** The embedded database's directory. Env `DATA_DIR`, default `./data` (from the working directory). */
  dataDir: string;
  /** Env `DATABASE_URL` (`postgres://...`): a PostgreSQL server instead of the embedded database; null for none. */
  databaseUrl: string | null;
  /** Statistics older than this many days are purged daily. Env `RETENTION_DAYS`, default 180. */
  retentionDays: number;
  /**
   * Events a portal may store per UTC day; beyond it `POST /api/events` answers 429 with Retry-After
   * (the seconds to the next UTC midnight). Counted in the database, so servers sharing it agree.
   * Env `EVENTS_PER_PORTAL_DAY`, default 100000 (1 to 100000000).
   */
  eventsPerPortalDay: number;
  /**
   * At most this long at start, before taking requests, the server stores and rolls back made-up
   * events, so the first real ones are not the ones the database compiles its plans on. Env
   * `WARM_UP_MS`, default 3000; 0 skips it.
   */
  warmUpMs: number;
  /**
   * Env `DEV_ORIGINS=1` for local development and tests: pages may also connect to plain-http
   * receivers on this machine (http://localhost, http://127.0.0.1). Default off.
   */
  devOrigins: boolean;
  /**
   * Env `RECEIVER_ORIGINS`: the webhook receivers' origins pages may connect to (CSP `connect-src`),
   * besides this server and the portals. A receiver not listed here is blocked by the browser.
   */
  receiverOrigins: string[];
  /** Env `HSTS_MAX_AGE`: seconds for Strict-Transport-Security (0 to 63072000); 0, the default, sends none. */
  hstsMaxAge: number;
  /** Env `WEBHOOKS_ALLOW_PRIVATE=1`: server-side webhooks may call private and loopback addresses (development). Default off. */
  webhooksAllowPrivate: boolean;
  /**
   * Env `B24_CLIENT_ID`: the local app's Application ID (`local.<hex>.<digits>`, or `app.<code>`). With
   * it, a user's token counts only when the portal's `app.info` names this app. Null: not set.
   */
  b24ClientId: string | null;
  /** Env `B24_CLIENT_SECRET`: the Application key, set together with B24_CLIENT_ID. Never logged or echoed. */
  b24ClientSecret: string | null;
  /** Env `B24_OAUTH_URL`: the OAuth server that renews tokens; default `https://oauth.bitrix.info`. */
  b24OauthUrl: string;
  /**
   * Env `WEBHOOKS_MAX_PENDING`: the most deliveries that wait for one server-side webhook (1 to
   * 1000000, default 10000). Beyond it new deliveries for that webhook are not queued, and the app
   * page and the log say so. Servers sharing a database use the value of the one started last.
   */
  webhooksMaxPending: number;
}

/**
 * The Bitrix24 cloud zones, as listed by Bitrix24's own product code, plus bitrix24.uk. A portal on
 * its own domain (an on-premise "box" portal) needs PORTAL_ORIGINS, which replaces this list: name every portal there.
 */
export const BITRIX24_CLOUD_ZONES = [
  'bitrix24.com',
  'bitrix24.eu',
  'bitrix24.de',
  'bitrix24.es',
  'bitrix24.fr',
  'bitrix24.it',
  'bitrix24.pl',
  'bitrix24.uk',
  'bitrix24.com.br',
  'bitrix24.com.tr',
  'bitrix24.in',
  'bitrix24.id',
  'bitrix24.vn',
  'bitrix24.jp',
  'bitrix24.cn',
  'bitrix24.ru',
  'bitrix24.by',
  'bitrix24.kz',
  'bitrix24.ua',
] as const;

export const DEFAULT_PORTAL_ORIGINS: readonly string[] = BITRIX24_CLOUD_ZONES.map((zone) => `https://*.${zone}`);

/** PORTAL_ORIGINS was left unset: any Bitrix24 cloud portal may call this server. */
export function portalOriginsUnset(config: Pick<ServerConfig, 'portalOrigins'>): boolean {
  return (
    config.portalOrigins.length === DEFAULT_PORTAL_ORIGINS.length &&
    config.portalOrigins.every((origin, i) => origin === DEFAULT_PORTAL_ORIGINS[i])
  );
}

const DEFAULT_DIST_DIR = resolve(import.meta.dirname, '../../dist');
export const DEFAULT_B24_OAUTH_URL = 'https://oauth.bitrix.info';
/** A local app's client id (`local.56017020f07e17.98523769`) or a Market app's code (`app.<...>`). */
const CLIENT_ID = /^(?:local\.[0-9a-f]{6,40}\.\d{1,20}|app\.[a-z0-9][\w.-]{0,95})$/i;
/** An Application key: printable characters without blanks. */
const CLIENT_SECRET = /^[\x21-\x7e]{16,256}$/;
const LOG_FORMATS: readonly LogFormat[] = ['text', 'json', 'none'];
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

type Env = Record<string, string | undefined>;
type SettingValue<T> = { value: T } | { problems: string[] };

const ok = <T>(value: T): SettingValue<T> => ({ value });
const bad = (...problems: string[]): SettingValue<never> => ({ problems });

/** Reads and checks the server settings; throws one Error naming every bad variable. */
export function parseServerConfig(env: Env): ServerConfig {
  const problems: string[] = [];
  const read = <T>(name: string, fallback: T, parse: (raw: string) => SettingValue<T>): T => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const parsed = parse(raw);
    if ('value' in parsed) return parsed.value;
    problems.push(...parsed.problems.map((p) => `${name}=${JSON.stringify(raw)}: ${p}`));
    return fallback;
  };
  const config: ServerConfig = {
    port: read('PORT', 8080, (raw) => integerIn(raw, 0, 65535, 'a whole number from 0 to 65535 (0 picks a free port)')),
    healthPort: read('HEALTH_PORT', null, (raw) =>
      integerIn(raw, 0, 65535, 'a whole number from 0 to 65535 (0 picks a free port)'),
    ),
    host: read('HOST', '127.0.0.1', parseHost),
    distDir: resolve(read('DIST_DIR', DEFAULT_DIST_DIR, ok)),
    portalOrigins: read('PORTAL_ORIGINS', [...DEFAULT_PORTAL_ORIGINS], parsePortalOrigins),
    logFormat: read('LOG_FORMAT', 'text', (raw) =>
      (LOG_FORMATS as readonly string[]).includes(raw)
        ? ok(raw as LogFormat)
        : bad(`must be one of ${LOG_FORMATS.join(', ')}`),
    ),
    placementErrorsMax: read('PLACEMENT_ERRORS_MAX', 100, (raw) =>
      integerIn(raw, 0, 1000, 'a whole number from 0 to 1000'),
    ),
    trustProxy: read('TRUST_PROXY', false, yesOrNo),
    devOrigins: read('DEV_ORIGINS', false, yesOrNo),
    receiverOrigins: read('RECEIVER_ORIGINS', [], (raw) => {
      const { origins, problems } = parseOriginList(raw);
      return problems.length > 0 ? { problems } : ok(origins);
    }),
    hstsMaxAge: read('HSTS_MAX_AGE', 0, (raw) =>
      integerIn(raw, 0, 63_072_000, 'a whole number of seconds from 0 (off) to 63072000 (two years)'),
    ),
    stats: read('STATS', true, (raw) =>
      ['on', '1', 'true', 'yes'].includes(raw.toLowerCase())
        ? ok(true)
        : ['off', '0', 'false', 'no'].includes(raw.toLowerCase())
          ? ok(false)
          : bad('must be on or off'),
    ),
    dataDir: resolve(read('DATA_DIR', './data', ok)),
    databaseUrl: readDatabaseUrl(env.DATABASE_URL, problems),
    retentionDays: read('RETENTION_DAYS', 180, (raw) =>
      integerIn(raw, 1, 36_500, 'a whole number of days from 1 to 36500'),
    ),
    eventsPerPortalDay: read('EVENTS_PER_PORTAL_DAY', DEFAULT_EVENTS_PER_PORTAL_DAY, (raw) =>
      integerIn(raw, 1, 100_000_000, 'a whole number of events from 1 to 100000000'),
    ),
    warmUpMs: read('WARM_UP_MS', 3000, (raw) =>
      integerIn(raw, 0, 60_000, 'a whole number of milliseconds from 0 (none) to 60000'),
    ),
    webhooksAllowPrivate: read('WEBHOOKS_ALLOW_PRIVATE', false, (raw) =>
      ['1', 'true', 'yes'].includes(raw.toLowerCase())
        ? ok(true)
        : ['0', 'false', 'no'].includes(raw.toLowerCase())
          ? ok(false)
          : bad('must be 1 or 0 (true or false)'),
    ),
    b24ClientId: read('B24_CLIENT_ID', null, (raw) =>
      CLIENT_ID.test(raw)
        ? ok(raw)
        : bad('must be the Application ID the portal shows for the local app: local.<hex>.<digits> (or app.<code>)'),
    ),
    b24ClientSecret: readClientSecret(env.B24_CLIENT_SECRET, problems),
    b24OauthUrl: read('B24_OAUTH_URL', DEFAULT_B24_OAUTH_URL, parseOauthUrl),
    webhooksMaxPending: read('WEBHOOKS_MAX_PENDING', DEFAULT_MAX_PENDING, (raw) =>
      integerIn(raw, 1, 1_000_000, 'a whole number of deliveries from 1 to 1000000'),
    ),
  };
  if (
    (config.b24ClientId === null) !== (config.b24ClientSecret === null) &&
    !problems.some((p) => p.startsWith('B24_CLIENT_'))
  ) {
    problems.push("B24_CLIENT_ID and B24_CLIENT_SECRET: set both (the local app's Application ID and key) or neither");
  }
  if (config.healthPort !== null && config.healthPort !== 0 && config.healthPort === config.port) {
    problems.push(`HEALTH_PORT=${config.healthPort}: must differ from PORT, which serves /healthz already`);
  }
  if (problems.length > 0) {
    const count = `${problems.length} problem${problems.length > 1 ? 's' : ''}`;
    throw new Error(`Invalid server environment (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return config;
}

function yesOrNo(raw: string): SettingValue<boolean> {
  const value = raw.toLowerCase();
  if (['1', 'true', 'yes'].includes(value)) return ok(true);
  return ['0', 'false', 'no'].includes(value) ? ok(false) : bad('must be 1 or 0 (true or false)');
}

function integerIn(raw: string, min: number, max: number, expected: string): SettingValue<number> {
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return value >= min && value <= max ? ok(value) : bad(`must be ${expected}`);
}

/** Its value is never echoed: it may hold a password. */
function readDatabaseUrl(value: string | undefined, problems: string[]): string | null {
  const raw = value?.trim() ?? '';
  if (raw === '') return null;
  if (/^postgres(ql)?:\/\/[^/]/i.test(raw) && URL.canParse(raw)) return raw;
  problems.push(
    'DATABASE_URL (value not shown): must be a PostgreSQL URL: postgres://user:password@host:5432/database',
  );
  return null;
}

/** Its value is never echoed: it is the app's key. */
function readClientSecret(value: string | undefined, problems: string[]): string | null {
  const raw = value?.trim() ?? '';
  if (raw === '') return null;
  if (CLIENT_SECRET.test(raw)) return raw;
  problems.push(
    'B24_CLIENT_SECRET (value not shown): must be the Application key the portal shows for the local app (16 to 256 characters, no blanks)',
  );
  return null;
}

/** An https URL without credentials, query or fragment (http only on this machine, for tests); kept without a trailing slash. */
function parseOauthUrl(raw: string): SettingValue<string> {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  const local = url !== null && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (
    url === null ||
    !(url.protocol === 'https:' || (url.protocol === 'http:' && local)) ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    return bad(
      'must be an https URL without query or credentials, such as https://oauth.bitrix.info (http only for localhost)',
    );
  }
  return ok(`${url.origin}${url.pathname.replace(/\/+$/, '')}`);
}

function parseHost(raw: string): SettingValue<string> {
  const host = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  if (isIP(host) !== 0 || HOSTNAME.test(host)) return ok(host.toLowerCase());
  return bad('must be an IP address (0.0.0.0, ::, 127.0.0.1, ::1) or a host name such as localhost');
}

function parsePortalOrigins(raw: string): SettingValue<string[]> {
  const { origins, problems } = parseOriginList(raw);
  if (origins.length === 0 && problems.length === 0) problems.push('lists no origin');
  return problems.length > 0 ? { problems } : ok(origins);
}
