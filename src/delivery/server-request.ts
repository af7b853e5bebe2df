import type { HoldEvent } from '../hold/types.ts';
import { attemptFrom, unanswered } from './attempt-answer.ts';
import type { AttemptResult } from './deliverer.ts';

/** Who the request speaks for: the server checks the token with this portal before it trusts anything. */
export interface ServerCredentials {
  token: string | null;
  /** The portal's DOMAIN (host[:port]). */
  domain: string;
}

/**
 * One POST of a batch of events to the app's own server (same origin: no CORS, no preflight).
 * 401 means the portal no longer accepts the token: the caller renews it and tries again.
 */
export async function postEvents(
  url: string,
  events: readonly HoldEvent[],
  credentials: ServerCredentials,
  timeoutMs: number,
): Promise<AttemptResult & { status?: number }> {
  if (credentials.token === null)
    return { kind: 'retry', reason: 'no access token from the portal yet', retryAfterMs: null };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${credentials.token}`,
        'x-portal-domain': credentials.domain,
      },
      body: JSON.stringify({ events }),
      credentials: 'omit',
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = response.ok ? null : await readError(response);
    if (response.ok) {
      response.body?.cancel().catch(() => undefined);
      return { kind: 'delivered' };
    }
    const reason = `HTTP ${response.status}${answer ? `: ${answer}` : ''}`;
    // The server refuses these events for good (400 a bad field, 404 statistics off, 413 too big):
    // a few more tries, then they are dropped with that answer, as the contract says of any receiver.
    // Two answers mean otherwise from the app's own server: a token or a portal it does not accept
    // yet (401, 403) may be accepted later, like a server that is busy or down (retried); and a 410
    // is no receiver leaving, and this outbox has no configuration whose change would restart it
    // (refused, never a stop).
    const result = attemptFrom(response.status, response.headers.get('retry-after'), reason);
    const retryAfterMs = 'retryAfterMs' in result ? result.retryAfterMs : null;
    if (response.status === 401 || response.status === 403)
      return { kind: 'retry', reason, retryAfterMs, status: response.status };
    if (result.kind === 'gone') return { kind: 'refused', reason, retryAfterMs, status: response.status };
    return { ...result, status: response.status };
  } catch (error) {
    return unanswered(error, timeoutMs);
  }
}

/** The server's `{"error": "...", "field": "..."}`, as one line. */
async function readError(response: Response): Promise<string | null> {
  const body = (await response.json().catch(() => null)) as { error?: unknown; field?: unknown } | null;
  if (!body || typeof body.error !== 'string') return null;
  return typeof body.field === 'string' ? `${body.error} (${body.field})` : body.error;
}
