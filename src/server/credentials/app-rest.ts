// REST calls the server makes in a portal, each one noted in the REST log: with the app's own
// access token, or with the token of the user whose request it serves (the CSV's names). Answers
// take the shape the worker's and the page's calls have (RestAnswer), so the registration steps of
// the app page (src/app/registration.ts) run here unchanged.
import type { RestAnswer } from '../../portal/types.ts';
import type { RestCallRecord } from './rest-log.ts';

export const APP_REST_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface AppRestOptions {
  fetch?: typeof fetch;
  /** The portal's origin, from the allowed list. */
  origin: string;
  token: string;
  now?: () => number;
  /** Where each call is noted; a failure to note it never fails the call. */
  record(call: RestCallRecord): Promise<void>;
}

export type AppRest = (method: string, params?: Record<string, unknown>) => Promise<RestAnswer>;

export function createAppRest(options: AppRestOptions): AppRest {
  const fetcher = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  return async (method, params = {}) => {
    const started = now();
    let answer: RestAnswer;
    try {
      const response = await fetcher(`${options.origin}/rest/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ...params, auth: options.token }),
        redirect: 'manual',
        signal: AbortSignal.timeout(APP_REST_TIMEOUT_MS),
      });
      const text = await response.text();
      const body = (text.length <= MAX_ANSWER_BYTES ? JSON.parse(text) : null) as Record<string, unknown> | null;
      if (response.status === 200 && body && 'result' in body) answer = { ok: true, result: body.result };
      else {
        const error = typeof body?.error === 'string' ? body.error : `HTTP ${response.status}`;
        answer = {
          ok: false,
          error,
          description: typeof body?.error_description === 'string' ? body.error_description : '',
          status: response.status,
        };
      }
    } catch (error) {
      answer = {
        ok: false,
        error: 'NO_ANSWER',
        description: error instanceof Error ? error.message : String(error),
        status: 0,
      };
    }
    await options
      .record({
        at: new Date(started).toISOString(),
        method,
        status: answer.ok ? 200 : answer.status,
        durationMs: now() - started,
        error: answer.ok ? null : answer.error,
      })
      .catch(() => undefined);
    return answer;
  };
}
