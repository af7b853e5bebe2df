// @vitest-environment node
// With the app's client id set, a user's token counts only when the portal's app.info, asked with
// it, names this app: another app's token for the same user proves the user, not the app.
import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../../src/server/auth/verify-token.ts';
import { fakePortalFetch, portalOf, type FakeAnswer } from '../../../support/fake-portal-fetch.ts';

const DOMAIN = 'a.example.com';
const THIS_APP = 'local.56017020f07e17.98523769';
const OTHER_APP = 'local.0badc0ffee0bad.11111111';

function scene(appInfo: (token: string) => FakeAnswer, clientId: string | null = THIS_APP) {
  const users = new Map([
    ['ours-0123456789', { id: 7 }],
    ['theirs-0123456789', { id: 7 }],
  ]);
  const user = portalOf(users);
  const portal = fakePortalFetch((method, token) => (method === 'app.info' ? appInfo(token) : user(method, token)));
  const verifier = createTokenVerifier({ portalOrigins: [`https://${DOMAIN}`], fetch: portal.fetch, clientId });
  return {
    verifier,
    calls: portal.calls,
    identify: (token: string) => verifier.identify(DOMAIN, `Bearer ${token}`, '198.51.100.1'),
  };
}

const appInfoBy = (token: string): FakeAnswer => ({
  body: {
    result: {
      ID: '7',
      CODE: token.startsWith('ours') ? THIS_APP : OTHER_APP,
      VERSION: 1,
      STATUS: 'L',
      INSTALLED: true,
      PAYMENT_EXPIRED: 'N',
      DAYS: null,
    },
  },
});

describe('app.info with B24_CLIENT_ID set', () => {
  it('accepts a token that app.info says belongs to this app', async () => {
    const s = scene(appInfoBy);
    expect(await s.identify('ours-0123456789')).toMatchObject({ ok: true, value: { userId: 7 } });
    expect(s.calls.map((call) => call.method).sort()).toEqual(['app.info', 'user.current']);
  });

  it('refuses with 401 a token of the same user that app.info says belongs to another app', async () => {
    const s = scene(appInfoBy);
    const verdict = await s.identify('theirs-0123456789');
    expect(verdict).toEqual({
      ok: false,
      status: 401,
      error: `the token was issued to another application (${OTHER_APP}), not to this one: open this app in the portal`,
    });
  });

  it("keeps the app.info answer with the token's verification: asked once for many requests", async () => {
    const s = scene(appInfoBy);
    await Promise.all([1, 2, 3].map(() => s.identify('ours-0123456789')));
    await s.identify('ours-0123456789');
    await s.identify('theirs-0123456789');
    await s.identify('theirs-0123456789');
    expect(s.calls.filter((call) => call.method === 'app.info')).toHaveLength(2);
  });

  it('answers 502 when app.info names no app, and never echoes an odd CODE', async () => {
    expect(await scene(() => ({ body: { result: { ID: '7' } } })).identify('ours-0123456789')).toMatchObject({
      ok: false,
      status: 502,
    });
    const odd = await scene(() => ({ body: { result: { CODE: '<script>alert(1)</script>' } } })).identify(
      'ours-0123456789',
    );
    expect(odd).toMatchObject({ ok: false, status: 401 });
    expect(JSON.stringify(odd)).not.toContain('script');
  });

  it('refuses a token the portal rejects, whatever app.info would say', async () => {
    expect(await scene(appInfoBy).identify('unknown-0123456789')).toMatchObject({
      ok: false,
      status: 401,
      error: expect.stringContaining('invalid_token'),
    });
  });

  it('never asks app.info without a client id: behaviour as before', async () => {
    const s = scene(appInfoBy, null);
    expect(await s.identify('theirs-0123456789')).toMatchObject({ ok: true });
    expect(s.calls.map((call) => call.method)).toEqual(['user.current']);
  });
});
