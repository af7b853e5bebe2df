// Who a request speaks for: the portal from `X-Portal-Domain` (only an allowed one), the user
// from the portal's own answer about the bearer token (and, with the app's client id set, the
// portal's word that the token was issued to this app). Answers are cached by a hash of the portal
// and token for 30 s, so a revoked token or a demoted admin stops working soon; concurrent
// requests with one token share one question to the portal.
//
// Questions about new tokens are rate-limited three ways: per client (an IPv6 client by its /64),
// per portal, and all together, in that order, so a flood from one network or for one portal
// spends only its own budgets. A token the portal confirmed before is asked about again without
// any budget: a flood of bogus tokens never locks out a user who is already in.
import { createHash } from 'node:crypto';
import { rateKey } from '../http/client-address.ts';
import { createRateLimiter } from '../http/rate-limit.ts';
import { allowedOrigin, parsePortalDomain } from './portal-origin.ts';
import { currentUserId, isPortalAdmin, tokenAppCode, type Fetch, type PortalAnswer } from './portal-rest.ts';

export interface Identity {
  /** The portal's domain, host[:port]: the key of its statistics. */
  portal: string;
  origin: string;
  userId: number;
  /** Kept to ask `user.admin` (and the CSV's `user.get`) when an endpoint needs it; never stored or logged. */
  token: string;
  /** The hash the answers are cached under. */
  tokenKey: string;
}

export type Refusal = { status: 401 | 403 | 429 | 502 | 503; error: string; retryAfterS?: number };
export type Verdict<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

export interface VerifierOptions {
  portalOrigins: readonly string[];
  fetch?: Fetch;
  /** How long an answer (the user, admin rights) is reused; default 30 s. */
  ttlMs?: number;
  /** Most answers remembered; default 10,000. */
  maxEntries?: number;
  /** Questions about new tokens per client (an IPv6 client by its /64) per minute; default 60. */
  missesPerClientPerMinute?: number;
  /** Questions about new tokens per portal per minute; default 600. */
  missesPerPortalPerMinute?: number;
  /** Questions about new tokens per minute, all portals together; default 6000. */
  missesPerMinute?: number;
  /** The app's client id (`B24_CLIENT_ID`): a token counts only when `app.info` names it. Null or absent: not asked. */
  clientId?: string | null;
  /**
   * Whether the portal may use this server at all, asked before anything leaves it: with the app's
   * credentials and no PORTAL_ORIGINS, only the portals that installed the app here. Absent: every allowed portal.
   */
  admits?: (portal: string) => Promise<boolean>;
  now?: () => number;
}

export interface TokenVerifier {
  identify(
    domainHeader: string | undefined,
    authorization: string | undefined,
    client: string,
  ): Promise<Verdict<Identity>>;
  /** Whether the portal calls the user an admin; `fresh` asks the portal now, whatever is cached. */
  isAdmin(identity: Identity, options?: { fresh?: boolean }): Promise<Verdict<boolean>>;
}

/** The portal's answer about a token, or that the token belongs to another app. */
type Verification = PortalAnswer<number> | { kind: 'other-app'; code: string };

interface Entry {
  expiresAt: number;
  userId: Promise<Verification>;
  /** Set once the portal confirmed the token: it may be asked about again without a budget. */
  confirmed?: boolean;
  admin?: Promise<PortalAnswer<boolean>>;
}

export const DEFAULT_TTL_MS = 30_000;
const TOKEN = /^[\w.~+/=-]{8,1024}$/;
const APP_CODE = /^[\w.-]{1,100}$/;
const UNREACHABLE_RETRY_S = 5;

function refusal(answer: Exclude<Verification, { kind: 'ok' }>, origin: string): Refusal {
  if (answer.kind === 'rejected')
    return { status: 401, error: `the portal refused the token (${answer.error}): refresh it and retry` };
  if (answer.kind === 'other-app') {
    const named = APP_CODE.test(answer.code) ? ` (${answer.code})` : '';
    return {
      status: 401,
      error: `the token was issued to another application${named}, not to this one: open this app in the portal`,
    };
  }
  if (answer.kind === 'bad-answer') return { status: 502, error: `${origin}: ${answer.detail}` };
  return { status: 503, error: `${origin} did not answer: ${answer.detail}`, retryAfterS: UNREACHABLE_RETRY_S };
}

async function verify(fetcher: Fetch, origin: string, token: string, clientId: string | null): Promise<Verification> {
  if (clientId === null) return currentUserId(fetcher, origin, token);
  const [user, app] = await Promise.all([currentUserId(fetcher, origin, token), tokenAppCode(fetcher, origin, token)]);
  if (user.kind !== 'ok') return user;
  if (app.kind !== 'ok') return app;
  return app.value === clientId ? user : { kind: 'other-app', code: app.value };
}

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const fetcher = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const maxEntries = options.maxEntries ?? 10_000;
  const clientId = options.clientId ?? null;
  const perClient = createRateLimiter({
    perKeyPerMinute: options.missesPerClientPerMinute ?? 60,
    maxKeys: 10_000,
    now,
  });
  const perPortal = createRateLimiter({
    perKeyPerMinute: options.missesPerPortalPerMinute ?? 600,
    maxKeys: 10_000,
    now,
  });
  const overall = createRateLimiter({ perKeyPerMinute: options.missesPerMinute ?? 6000, maxKeys: 1, now });
  const cache = new Map<string, Entry>();

  /** Milliseconds to wait before a new token may be asked about; each budget is spent only when the ones before it allow. */
  const budgetWait = (client: string, portal: string): number =>
    perClient.take(rateKey(client)) || perPortal.take(portal) || overall.take('all');

  const remember = (key: string, entry: Entry): void => {
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    // Failures are not kept: a portal that was down or odd is asked again next time. A refusal is kept for the entry's time.
    void entry.userId.then((answer) => {
      if (answer.kind === 'ok') entry.confirmed = true;
      else if (answer.kind !== 'rejected' && answer.kind !== 'other-app' && cache.get(key) === entry) cache.delete(key);
    });
  };
  const current = (key: string): Entry | undefined => {
    const entry = cache.get(key);
    return entry && entry.expiresAt > now() ? entry : undefined;
  };

  return {
    async identify(domainHeader, authorization, client) {
      const portal = parsePortalDomain(domainHeader);
      if (portal === null)
        return { ok: false, status: 403, error: 'X-Portal-Domain must name the portal (host[:port])' };
      const origin = allowedOrigin(portal, options.portalOrigins);
      if (origin === null)
        return { ok: false, status: 403, error: `portal ${portal} is not allowed on this server (PORTAL_ORIGINS)` };
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!token || !TOKEN.test(token))
        return { ok: false, status: 401, error: "Authorization: Bearer <the user's access token> is required" };
      if (options.admits) {
        const admitted = await options.admits(portal).catch(() => null);
        if (admitted === null)
          return {
            ok: false,
            status: 503,
            error: 'this server cannot say now whether the portal installed the app here; retry later',
            retryAfterS: UNREACHABLE_RETRY_S,
          };
        if (!admitted)
          return {
            ok: false,
            status: 403,
            error: `portal ${portal} is not installed here: install the app from this server first`,
          };
      }
      const key = createHash('sha256').update(`${portal}\n${token}`).digest('base64url');
      let entry = current(key);
      if (!entry) {
        if (cache.get(key)?.confirmed !== true) {
          const waitMs = budgetWait(client, portal);
          if (waitMs > 0)
            return {
              ok: false,
              status: 429,
              error: 'too many new tokens from this client or for this portal',
              retryAfterS: Math.ceil(waitMs / 1000),
            };
        }
        entry = { expiresAt: now() + ttlMs, userId: verify(fetcher, origin, token, clientId) };
        remember(key, entry);
      }
      const answer = await entry.userId;
      if (answer.kind !== 'ok') return { ok: false, ...refusal(answer, origin) };
      return { ok: true, value: { portal, origin, userId: answer.value, token, tokenKey: key } };
    },

    async isAdmin(identity, { fresh = false } = {}) {
      const entry = current(identity.tokenKey);
      let question = fresh ? undefined : entry?.admin;
      if (!question) {
        question = isPortalAdmin(fetcher, identity.origin, identity.token);
        if (entry) entry.admin = question;
      }
      const answer = await question;
      if (answer.kind !== 'ok') {
        if (entry?.admin === question) delete entry.admin;
        return { ok: false, ...refusal(answer, identity.origin) };
      }
      return { ok: true, value: answer.value };
    },
  };
}
