// The app page's calls to this app's own server: the admin's token and the portal's domain on every
// request, JSON both ways, and every failure as data (`status` 0: the server could not be reached).
import type { ConnectedPortal } from '../portal/frame-connection.ts';

export type Answer<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

export type ServerCall = <T>(path: string, method?: string, body?: unknown) => Promise<Answer<T>>;

/** `apiBase`: the server's /api/ (the app page is /app/); `path` is relative to it. */
export function serverCall(portal: Pick<ConnectedPortal, 'session' | 'operatorToken'>, apiBase: string): ServerCall {
  return async <T>(path: string, method = 'GET', body?: unknown): Promise<Answer<T>> => {
    try {
      const token = await portal.operatorToken();
      const response = await fetch(`${apiBase}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token ?? ''}`,
          'x-portal-domain': portal.session.domain,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
      });
      const answer = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
      if (response.ok && answer) return { ok: true, value: answer };
      return {
        ok: false,
        status: response.status,
        error: typeof answer?.error === 'string' ? answer.error : `HTTP ${response.status}`,
      };
    } catch (error) {
      return { ok: false, status: 0, error: error instanceof Error ? error.message : String(error) };
    }
  };
}

/** What `/api/status` says (asked without a token): whether the server keeps statistics and holds the app's credentials. */
export async function serverStatus(
  apiBase: string,
  fetcher: typeof fetch = fetch,
): Promise<Answer<{ stats: boolean; credentials?: boolean }>> {
  try {
    const response = await fetcher(`${apiBase}status`, {
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      signal: AbortSignal.timeout(5000),
    });
    const answer = (await response.json().catch(() => null)) as { stats: boolean; credentials?: boolean } | null;
    return response.ok && answer
      ? { ok: true, value: answer }
      : { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, status: 0, error: error instanceof Error ? error.message : String(error) };
  }
}
