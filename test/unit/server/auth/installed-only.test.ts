// @vitest-environment node
// With the app's credentials and no PORTAL_ORIGINS, any Bitrix24 cloud portal could reach the API;
// only the portals that installed the app here may, and nothing leaves the server for the others.
import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../../src/server/auth/verify-token.ts';
import { DEFAULT_PORTAL_ORIGINS, parseServerConfig, portalOriginsUnset } from '../../../../src/server/config.ts';
import { fakePortalFetch, portalOf } from '../../../support/fake-portal-fetch.ts';

function scene(installed: readonly string[]) {
  const portal = fakePortalFetch(portalOf(new Map([['token-0123456789', { id: 7 }]])));
  const asked: string[] = [];
  const verifier = createTokenVerifier({
    portalOrigins: DEFAULT_PORTAL_ORIGINS,
    fetch: portal.fetch,
    admits: async (name) => (asked.push(name), installed.includes(name)),
  });
  return {
    calls: portal.calls,
    asked,
    identify: (domain: string) => verifier.identify(domain, 'Bearer token-0123456789', '198.51.100.1'),
  };
}

describe('only portals installed here', () => {
  it('refuses a cloud portal that never installed the app here with 403, asking it nothing', async () => {
    const { identify, calls, asked } = scene(['acme.bitrix24.com']);
    expect(await identify('stranger.bitrix24.com')).toMatchObject({
      ok: false,
      status: 403,
      error: expect.stringContaining('not installed here'),
    });
    expect(asked).toEqual(['stranger.bitrix24.com']);
    expect(calls).toEqual([]);
  });

  it('lets a portal that installed the app here through to the usual token check', async () => {
    const { identify, calls } = scene(['acme.bitrix24.com']);
    expect(await identify('acme.bitrix24.com')).toMatchObject({
      ok: true,
      value: { portal: 'acme.bitrix24.com', userId: 7 },
    });
    expect(calls.length).toBeGreaterThan(0);
  });

  it('asks nothing of a request without a token, so a stranger cannot tell which portals are installed here', async () => {
    const asked: string[] = [];
    const verifier = createTokenVerifier({
      portalOrigins: DEFAULT_PORTAL_ORIGINS,
      admits: async (name) => (asked.push(name), false),
    });
    expect(await verifier.identify('acme.bitrix24.com', undefined, '198.51.100.1')).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(asked).toEqual([]);
  });

  it('answers 503 with Retry-After, not a 500, when the database cannot say', async () => {
    const verifier = createTokenVerifier({
      portalOrigins: DEFAULT_PORTAL_ORIGINS,
      admits: async () => {
        throw new Error('the database is down');
      },
    });
    expect(await verifier.identify('acme.bitrix24.com', 'Bearer token-0123456789', '198.51.100.1')).toMatchObject({
      ok: false,
      status: 503,
      retryAfterS: 5,
    });
  });

  it('applies only when PORTAL_ORIGINS is left unset', () => {
    expect(portalOriginsUnset(parseServerConfig({}))).toBe(true);
    expect(portalOriginsUnset(parseServerConfig({ PORTAL_ORIGINS: 'https://acme.bitrix24.com' }))).toBe(false);
  });
});
