// @vitest-environment node
// How long the verifier believes the portal: a revoked token or a demoted admin stops working
// within 30 s, and the actions that hand out a secret or delete data ask the portal at once.
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, type Identity, type TokenVerifier } from '../../../../src/server/auth/verify-token.ts';
import { fakePortalFetch, portalOf } from '../../../support/fake-portal-fetch.ts';

const DOMAIN = 'a.example.com';
const TOKEN = 'token-0123456789abcdef';

function scene() {
  const clock = { t: 1_000_000 };
  const users = new Map<string, { id: number; admin?: boolean }>([[TOKEN, { id: 1, admin: true }]]);
  const portal = fakePortalFetch(portalOf(users));
  const verifier = createTokenVerifier({
    portalOrigins: [`https://${DOMAIN}`],
    fetch: portal.fetch,
    now: () => clock.t,
  });
  const asked = (method: string) => portal.calls.filter((call) => call.method === method).length;
  return { clock, users, verifier, asked };
}

async function identity(verifier: TokenVerifier): Promise<Identity> {
  const verdict = await verifier.identify(DOMAIN, `Bearer ${TOKEN}`, '198.51.100.1');
  if (!verdict.ok) throw new Error(verdict.error);
  return verdict.value;
}

describe("how long the portal's answers are believed", () => {
  it('refuses a revoked token once 30 s have passed, and not before', async () => {
    const s = scene();
    await identity(s.verifier);
    s.users.delete(TOKEN);
    s.clock.t += 29_000;
    expect(await s.verifier.identify(DOMAIN, `Bearer ${TOKEN}`, '198.51.100.1')).toMatchObject({ ok: true });
    s.clock.t += 1_001;
    expect(await s.verifier.identify(DOMAIN, `Bearer ${TOKEN}`, '198.51.100.1')).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('takes admin rights away from a demoted admin within 30 s', async () => {
    const s = scene();
    expect(await s.verifier.isAdmin(await identity(s.verifier))).toEqual({ ok: true, value: true });
    s.users.set(TOKEN, { id: 1, admin: false });
    s.clock.t += 30_001;
    expect(await s.verifier.isAdmin(await identity(s.verifier))).toEqual({ ok: true, value: false });
    expect(s.asked('user.admin')).toBe(2);
  });

  it('asks user.admin at once for a fresh answer, even with one cached a second ago', async () => {
    const s = scene();
    const who = await identity(s.verifier);
    expect(await s.verifier.isAdmin(who)).toEqual({ ok: true, value: true });
    s.users.set(TOKEN, { id: 1, admin: false });
    s.clock.t += 1000;
    expect(await s.verifier.isAdmin(who)).toEqual({ ok: true, value: true });
    expect(await s.verifier.isAdmin(who, { fresh: true })).toEqual({ ok: true, value: false });
    expect(s.asked('user.admin')).toBe(2);
    // The fresh answer is the one cached from then on.
    expect(await s.verifier.isAdmin(who)).toEqual({ ok: true, value: false });
  });
});
