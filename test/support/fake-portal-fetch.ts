// A portal's REST endpoint as a fetch function, for the token verifier's tests: no sockets, so a
// flood of thousands of requests runs in milliseconds, and every call is recorded.
export interface FakePortalCall {
  origin: string;
  method: string;
  token: string;
}

export type FakeAnswer = { status?: number; body: unknown };

export interface FakePortal {
  fetch: typeof fetch;
  calls: FakePortalCall[];
}

/** `answer(method, token, origin)` decides each answer; the request is POST /rest/<method> with {"auth": token}. */
export function fakePortalFetch(answer: (method: string, token: string, origin: string) => FakeAnswer): FakePortal {
  const calls: FakePortalCall[] = [];
  const fetcher = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const method = url.pathname.replace(/^\/rest\//, '');
    const { auth } = JSON.parse(String(init?.body ?? '{}')) as { auth?: unknown };
    const token = typeof auth === 'string' ? auth : '';
    calls.push({ origin: url.origin, method, token });
    const { status = 200, body } = answer(method, token, url.origin);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetcher as typeof fetch, calls };
}

/** Answers as a portal does for a token it issued (`user.current`, `user.admin`), 401 for any other. */
export function portalOf(
  users: Map<string, { id: number; admin?: boolean }>,
): (method: string, token: string) => FakeAnswer {
  return (method, token) => {
    const user = users.get(token);
    if (!user)
      return {
        status: 401,
        body: { error: 'invalid_token', error_description: 'The access token provided is invalid.' },
      };
    if (method === 'user.admin') return { body: { result: user.admin === true } };
    return { body: { result: { ID: String(user.id) } } };
  };
}
