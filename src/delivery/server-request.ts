import type { HoldEvent } from '../hold/types.ts';
import type { AttemptResult } from './deliverer.ts';
import { parseRetryAfter } from './retry-schedule.ts';

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
export async function postEvents(url: string, events: readonly HoldEvent[], credentials: ServerCredentials, timeoutMs: number): Promise<AttemptResult & { status?: number }> {
  if (credentials.token === null) return { kind: 'retry', reason: 'no access token from the portal yet', retryAfterMs: null };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${credentials.token}`, 'x-portal-domain': credentials.domain },
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
    return { kind: 'retry', reason, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()), status: response.status };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const reason = name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error (${error instanceof Error ? error.message : String(error)})`;
    return { kind: 'retry', reason, retryAfterMs: null };
  }
}

/** The server's `{"error": "...", "field": "..."}`, as one line. */
async function readError(response: Response): Promise<string | null> {
  const body = (await response.json().catch(() => null)) as { error?: unknown; field?: unknown } | null;
  if (!body || typeof body.error !== 'string') return null;
  return typeof body.field === 'string' ? `${body.error} (${body.field})` : body.error;
}
