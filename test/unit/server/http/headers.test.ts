// @vitest-environment node
// Response headers that depend on the server's settings: the CSP's connect-src, COOP, HSTS.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../../src/server/http/server.ts';
import { parseServerConfig } from '../../../../src/server/config.ts';
import { makeDist } from '../temp-dist.ts';

let dist = '';
let server: RunningServer | null = null;

async function headersOf(path: string, env: Record<string, string> = {}, hashes?: unknown): Promise<Headers> {
  dist = makeDist();
  if (hashes !== undefined) writeFileSync(join(dist, 'csp-hashes.json'), JSON.stringify(hashes));
  server = await startServer(
    parseServerConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DIST_DIR: dist,
      LOG_FORMAT: 'none',
      STATS: 'off',
      PORTAL_ORIGINS: 'https://example.bitrix24.com',
      ...env,
    }),
  );
  const res = await fetch(new URL(path, server.url));
  await res.arrayBuffer();
  return res.headers;
}
const scriptSrc = (headers: Headers): string =>
  /script-src ([^;]*)/.exec(headers.get('content-security-policy') ?? '')?.[1] ?? '';
const connectSrc = (headers: Headers): string =>
  /connect-src ([^;]*)/.exec(headers.get('content-security-policy') ?? '')?.[1] ?? '';

afterEach(async () => {
  await server?.close();
  server = null;
  rmSync(dist, { recursive: true, force: true });
});

describe('connect-src', () => {
  it('allows only this server and the portals by default: no https: anywhere, no local http', async () => {
    expect(connectSrc(await headersOf('/'))).toBe("'self' https://example.bitrix24.com");
  });

  it('adds the receiver origins the operator lists', async () => {
    const headers = await headersOf('/', {
      RECEIVER_ORIGINS: 'https://pbx.example.com, https://hooks.example.org:8443',
    });
    expect(connectSrc(headers)).toBe(
      "'self' https://example.bitrix24.com https://pbx.example.com https://hooks.example.org:8443",
    );
  });

  it('allows receivers on this machine over plain http only with DEV_ORIGINS=1', async () => {
    expect(connectSrc(await headersOf('/', { DEV_ORIGINS: '1' }))).toBe(
      "'self' https://example.bitrix24.com http://localhost:* http://127.0.0.1:*",
    );
  });
});

describe('script-src', () => {
  const HASH = "'sha256-HRt/e6mV9+zEIxl6z3+jgFn+T3Pd789Wo2qc7r/f8ws='";

  it('allows only this server scripts when the build recorded no inline script', async () => {
    expect(scriptSrc(await headersOf('/'))).toBe("'self'");
  });

  it('allows the worker page its inline script by the hash the build recorded, on that page only', async () => {
    expect(scriptSrc(await headersOf('/', {}, { 'index.html': [HASH] }))).toBe(`'self' ${HASH}`);
    await server?.close();
    rmSync(dist, { recursive: true, force: true });
    expect(scriptSrc(await headersOf('/app/', {}, { 'index.html': [HASH] }))).toBe("'self'");
  });

  it('refuses to start on a recorded value that is not a sha256 hash, so nothing else can reach the policy', async () => {
    await expect(headersOf('/', {}, { 'index.html': ["'unsafe-inline'"] })).rejects.toThrow(/must list sha256 hashes/);
  });
});

describe('Cross-Origin-Opener-Policy', () => {
  it('isolates the app page from a cross-origin opener but keeps the popups it opens', async () => {
    expect((await headersOf('/app/')).get('cross-origin-opener-policy')).toBe('same-origin-allow-popups');
  });
});

describe('Strict-Transport-Security', () => {
  it('is not sent unless HSTS_MAX_AGE is set', async () => {
    expect((await headersOf('/')).get('strict-transport-security')).toBeNull();
  });

  it('is sent on every response with the configured max-age', async () => {
    expect((await headersOf('/healthz', { HSTS_MAX_AGE: '31536000' })).get('strict-transport-security')).toBe(
      'max-age=31536000',
    );
  });
});
