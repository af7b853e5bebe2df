// The questions the server asks a portal about a token: whose is it (user.current), may that user
// manage the app (user.admin), and which app was it issued to (app.info). Answers are data: the
// caller maps them to HTTP statuses.

export type PortalAnswer<T> =
  | { kind: 'ok'; value: T }
  /** The portal refused the token (expired, invalid, missing). */
  | { kind: 'rejected'; error: string }
  /** The portal answered, but not as a portal does (a redirect, a 5xx, not JSON, no result). */
  | { kind: 'bad-answer'; detail: string }
  /** No answer in time, or no connection. */
  | { kind: 'unreachable'; detail: string };

export const PORTAL_TIMEOUT_MS = 4000;
const MAX_ANSWER_BYTES = 64 * 1024;

export type Fetch = typeof fetch;

async function callRest(fetcher: Fetch, origin: string, method: string, token: string): Promise<PortalAnswer<unknown>> {
  let response: Response;
  try {
    response = await fetcher(`${origin}/rest/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ auth: token }),
      redirect: 'manual',
      signal: AbortSignal.timeout(PORTAL_TIMEOUT_MS),
    });
  } catch (error) {
    return {
      kind: 'unreachable',
      detail:
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error),
    };
  }
  let body: unknown;
  try {
    const text = await response.text();
    body = text.length > MAX_ANSWER_BYTES ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (
    response.status === 401 ||
    fields.error === 'expired_token' ||
    fields.error === 'invalid_token' ||
    fields.error === 'NO_AUTH_FOUND'
  ) {
    return { kind: 'rejected', error: typeof fields.error === 'string' ? fields.error : `HTTP ${response.status}` };
  }
  if (response.status !== 200 || !('result' in fields)) {
    return {
      kind: 'bad-answer',
      detail: `${method} answered HTTP ${response.status}${typeof fields.error === 'string' ? ` ${fields.error}` : ''}`,
    };
  }
  return { kind: 'ok', value: fields.result };
}

/** The token's user id (`result.ID`). */
export async function currentUserId(fetcher: Fetch, origin: string, token: string): Promise<PortalAnswer<number>> {
  const answer = await callRest(fetcher, origin, 'user.current', token);
  if (answer.kind !== 'ok') return answer;
  const id = Number((answer.value as { ID?: unknown } | null)?.ID);
  return Number.isSafeInteger(id) && id > 0
    ? { kind: 'ok', value: id }
    : { kind: 'bad-answer', detail: 'user.current answered without a user ID' };
}

/** Whether the token's user may manage the portal's apps (`result: true`). */
export async function isPortalAdmin(fetcher: Fetch, origin: string, token: string): Promise<PortalAnswer<boolean>> {
  const answer = await callRest(fetcher, origin, 'user.admin', token);
  if (answer.kind !== 'ok') return answer;
  return { kind: 'ok', value: answer.value === true || answer.value === 'true' || answer.value === 'Y' };
}

/** The code of the app the token was issued to (`result.CODE`: a local app's client id). */
export async function tokenAppCode(fetcher: Fetch, origin: string, token: string): Promise<PortalAnswer<string>> {
  const answer = await callRest(fetcher, origin, 'app.info', token);
  if (answer.kind !== 'ok') return answer;
  const code = (answer.value as { CODE?: unknown } | null)?.CODE;
  return typeof code === 'string' && code !== ''
    ? { kind: 'ok', value: code }
    : { kind: 'bad-answer', detail: "app.info answered without the app's CODE" };
}
