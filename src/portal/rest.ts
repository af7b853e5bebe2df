import type { RestAnswer } from './types.ts';

/** The operator's short-lived access token. It goes to the portal only, unless an output is configured to carry it. */
export interface Auth {
  accessToken: string | null;
  expiresAt: number;
}

export function readAuth(data: unknown): Auth {
  const init = (data ?? {}) as Record<string, unknown>;
  const token = typeof init.AUTH_ID === 'string' && init.AUTH_ID !== '' ? init.AUTH_ID : null;
  const seconds = Number.parseInt(String(init.AUTH_EXPIRES ?? '0'), 10);
  return { accessToken: token, expiresAt: Date.now() + (Number.isFinite(seconds) ? seconds : 0) * 1000 };
}

const REST_TIMEOUT_MS = 10_000;
const EXPIRED = new Set(['expired_token', 'invalid_token', 'NO_AUTH_FOUND']);

/**
 * POSTs JSON to `<portal>/rest/<method>` with `auth` in the body, as the portal's own frames do.
 * Refreshes the token once when the portal says it expired. Never throws: failures are answers.
 */
export async function callRest(
  origin: string,
  method: string,
  params: Record<string, unknown>,
  auth: () => Auth,
  refresh: () => Promise<Auth>,
): Promise<RestAnswer> {
  if (!/^[a-z0-9_.]+$/i.test(method)) return failure('INVALID_METHOD', `"${method}" is not a REST method name`, 0);
  let current = auth();
  if (current.accessToken === null || current.expiresAt <= Date.now()) current = await refresh().catch(() => current);
  let answer = await post(origin, method, params, current);
  if (!answer.ok && EXPIRED.has(answer.error)) {
    const renewed = await refresh().catch(() => null);
    if (renewed) answer = await post(origin, method, params, renewed);
  }
  return answer;
}

async function post(origin: string, method: string, params: Record<string, unknown>, auth: Auth): Promise<RestAnswer> {
  try {
    const response = await fetch(`${origin}/rest/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, auth: auth.accessToken }),
      signal: AbortSignal.timeout(REST_TIMEOUT_MS),
      credentials: 'omit',
      // A portal never redirects its REST API: a redirect would carry the operator's token elsewhere.
      redirect: 'error',
    });
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (body && typeof body.error === 'string') {
      return failure(body.error, String(body.error_description ?? ''), response.status);
    }
    if (!response.ok || !body || !('result' in body)) {
      return failure('HTTP_ERROR', `the portal answered HTTP ${response.status}`, response.status);
    }
    return { ok: true, result: body.result };
  } catch (error) {
    return failure('NETWORK_ERROR', error instanceof Error ? error.message : String(error), 0);
  }
}

function failure(error: string, description: string, status: number): RestAnswer {
  return { ok: false, error, description, status };
}
