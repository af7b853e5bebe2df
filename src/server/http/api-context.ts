// What every API route shares: its dependencies, the request's verified identity, and one shape
// for every error answer: `{"error": "...", ...details}` with the right status and headers.
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import type { IncomingMessage } from 'node:http';
import type { Identity, TokenVerifier } from '../auth/verify-token.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { Statistics } from '../holds/service.ts';

export interface ApiDeps {
  stats: Statistics;
  verifier: TokenVerifier;
  /** Batches per portal user (`POST /api/events`). */
  ingestLimiter: RateLimiter;
  clientOf: (req: IncomingMessage) => string;
  warn: (line: string) => void;
  /** The fetch used to ask portals (user.get for the CSV's names); absent: the global one. */
  fetch?: typeof fetch;
}

export type ApiEnv = { Bindings: HttpBindings; Variables: { identity: Identity } };
export type ApiContext = Context<ApiEnv>;

/** How long a client should wait after the database failed. */
export const DB_RETRY_AFTER_S = 5;

export function fail(
  c: Context,
  status: number,
  error: string,
  extra: Record<string, unknown> = {},
  retryAfterS?: number,
): Response {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (retryAfterS !== undefined) headers['Retry-After'] = String(retryAfterS);
  return c.json({ error, ...extra }, status as 400, headers);
}

/** Verifies the portal and the token; stores the identity for the route. */
export function requireUser(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const verdict = await deps.verifier.identify(
      c.req.header('x-portal-domain'),
      c.req.header('authorization'),
      deps.clientOf(c.env.incoming),
    );
    if (!verdict.ok) return fail(c, verdict.status, verdict.error, {}, verdict.retryAfterS);
    c.set('identity', verdict.value);
    await next();
  };
}

/**
 * After requireUser: only a user the portal calls an admin passes. `fresh` asks the portal now
 * instead of trusting an answer up to 30 s old: for actions that cannot be taken back.
 */
export function requireAdmin(deps: ApiDeps, { fresh = false } = {}): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const verdict = await deps.verifier.isAdmin(c.get('identity'), { fresh });
    if (!verdict.ok) return fail(c, verdict.status, verdict.error, {}, verdict.retryAfterS);
    if (!verdict.value) return fail(c, 403, 'only a portal administrator may read the statistics');
    await next();
  };
}
