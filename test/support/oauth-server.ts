// The simulator's OAuth issuer behind a real HTTP port, for a test file: B24_OAUTH_URL points here.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createOAuthIssuer, type OAuthIssuer } from '../../src/simulator/oauth-issuer.ts';

export const TEST_CLIENT_ID = 'local.5f0e3c2a1b9d87.12345678';
export const TEST_CLIENT_SECRET = 'test-application-key-0123456789abcdef';

export function useOAuthServer(): { readonly url: string; readonly issuer: OAuthIssuer; requests: number } {
  const issuer = createOAuthIssuer({ clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET });
  const state = { url: '', issuer, requests: 0 };
  let server: Server | undefined;
  beforeAll(async () => {
    server = createServer((req, res) => {
      state.requests += 1;
      const url = new URL(req.url ?? '/', 'http://oauth');
      const answer =
        url.pathname === '/oauth/token/'
          ? issuer.token(url.searchParams)
          : { status: 404, body: { error: 'not_found' } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  return state;
}
