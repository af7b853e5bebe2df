// Who a request speaks for: the portal from `X-Portal-Domain` (only an allowed one), the user
// from the portal's own answer about the bearer token. Answers are cached by a hash of the portal
// and token for a few minutes (well inside the token's hour), misses are rate-limited per client,
// and concurrent requests with one token share one question to the portal.
import { createHash } from 'node:crypto';
import { createRateLimiter } from '../rate-limit.ts';
import { allowedOrigin, parsePortalDomain } from './portal-origin.ts';
import { currentUserId, isPortalAdmin, type Fetch, type PortalAnswer } from './portal-rest.ts';

export interface Identity {
  /** The portal's domain, host[:port]: the key of its statistics. */
  portal: string;
  origin: string;
  userId: number;
  /** Kept to ask `user.admin` when an endpoint needs it; never stored or logged. */
  token: string;
  /** The hash the answers are cached under. */
  tokenKey: string;
}

export type Refusal = { status: 401 | 403 | 429 | 502 | 503; error: string; retryAfterS?: number };
export type Verdict<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

export interface VerifierOptions {
  portalOrigins: readonly string[];
  fetch?: Fetch;
  /** How long an answer is reused; default 5 minutes. */
  ttlMs?: number;
  /** Most answers remembered; default 10,000. */
  maxEntries?: number;
  /** Questions to portals per client per minute (cache misses only); default 60. */
  missesPerClientPerMinute?: number;
  now?: () => number;
}

export interface TokenVerifier {
  identify(domainHeader: string | undefined, authorization: string | undefined, client: string): Promise<Verdict<Identity>>;
  isAdmin(identity: Identity): Promise<Verdict<boolean>>;
}

interface Entry {
  expiresAt: number;
  userId: Promise<PortalAnswer<number>>;
  admin?: Promise<PortalAnswer<boolean>>;
}

const TOKEN = /^[\w.~+/=-]{8,1024}$/;
const REJECTED_TTL_MS = 60_000;
const UNREACHABLE_RETRY_S = 5;

function refusal(answer: Exclude<PortalAnswer<unknown>, { kind: 'ok' }>, origin: string): Refusal {
  if (answer.kind === 'rejected') return { status: 401, error: `the portal refused the token (${answer.error}): refresh it and retry` };
  if (answer.kind === 'bad-answer') return { status: 502, error: `${origin}: ${answer.detail}` };
  return { status: 503, error: `${origin} did not answer: ${answer.detail}`, retryAfterS: UNREACHABLE_RETRY_S };
}

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const fetcher = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 300_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const limiter = createRateLimiter({ perKeyPerMinute: options.missesPerClientPerMinute ?? 60, globalPerMinute: 6000, maxKeys: 10_000, now });
  const cache = new Map<string, Entry>();

  const remember = (key: string, entry: Entry): void => {
    cache.set(key, entry);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    // Failures are not kept: a portal that was down or odd is asked again next time; a refusal is kept briefly.
    void entry.userId.then((answer) => {
      if (answer.kind === 'rejected') entry.expiresAt = Math.min(entry.expiresAt, now() + REJECTED_TTL_MS);
      else if (answer.kind !== 'ok' && cache.get(key) === entry) cache.delete(key);
    });
  };

  return {
    async identify(domainHeader, authorization, client) {
      const portal = parsePortalDomain(domainHeader);
      if (portal === null) return { ok: false, status: 403, error: 'X-Portal-Domain must name the portal (host[:port])' };
      const origin = allowedOrigin(portal, options.portalOrigins);
      if (origin === null) return { ok: false, status: 403, error: `portal ${portal} is not allowed on this server (PORTAL_ORIGINS)` };
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!token || !TOKEN.test(token)) return { ok: false, status: 401, error: 'Authorization: Bearer <the user\'s access token> is required' };
      const key = createHash('sha256').update(`${portal}\n${token}`).digest('base64url');
      let entry = cache.get(key);
      if (entry && entry.expiresAt <= now()) {
        cache.delete(key);
        entry = undefined;
      }
      if (!entry) {
        const waitMs = limiter.take(client);
        if (waitMs > 0) return { ok: false, status: 429, error: 'too many new tokens from this client', retryAfterS: Math.ceil(waitMs / 1000) };
        entry = { expiresAt: now() + ttlMs, userId: currentUserId(fetcher, origin, token) };
        remember(key, entry);
      }
      const answer = await entry.userId;
      if (answer.kind !== 'ok') return { ok: false, ...refusal(answer, origin) };
      return { ok: true, value: { portal, origin, userId: answer.value, token, tokenKey: key } };
    },

    async isAdmin(identity) {
      const entry = cache.get(identity.tokenKey);
      let question = entry?.admin;
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
