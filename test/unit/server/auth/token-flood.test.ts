// @vitest-environment node
// A flood of bogus tokens must not lock honest users out: the new-token limiter counts a client by
// its /64 (IPv6 clients rotate addresses within one), each portal has a budget of its own, and a
// token the portal confirmed before is confirmed again without waiting for any budget.
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../../../src/server/auth/verify-token.ts';
import { fakePortalFetch, portalOf } from '../../../support/fake-portal-fetch.ts';

const A = 'a.example.com';
const B = 'b.example.com';
const ORIGINS = [`https://${A}`, `https://${B}`];

interface Scene {
  verifier: TokenVerifier;
  clock: { t: number };
  honest: Map<string, { id: number }>;
}

function scene(): Scene {
  const clock = { t: 1_000_000 };
  const honest = new Map<string, { id: number }>();
  const portal = fakePortalFetch(portalOf(honest));
  return {
    verifier: createTokenVerifier({ portalOrigins: ORIGINS, fetch: portal.fetch, now: () => clock.t }),
    clock,
    honest,
  };
}

const bearer = (token: string) => `Bearer ${token}`;

/**
 * One minute of the test's clock: `perSecond` bogus tokens a second from `attacker(i)` for portal
 * `floodPortal`, while 28 honest users (half of each portal, each from an address of their own)
 * bring a new token each, spread over the minute. Returns how many honest tokens were refused.
 */
async function floodMinute(
  s: Scene,
  attacker: (i: number) => string,
  floodPortal: string,
  perSecond = 300,
): Promise<{ refused: string[] }> {
  const refused: string[] = [];
  const start = s.clock.t;
  for (let second = 0; second < 60; second++) {
    s.clock.t = start + second * 1000;
    for (let i = 0; i < perSecond; i++) {
      const n = second * perSecond + i;
      await s.verifier.identify(floodPortal, bearer(`bogus-${n}-0123456789`), attacker(n));
    }
    if (second % 2 === 1 && second < 57) {
      const user = (second - 1) / 2;
      const token = `honest-${user}-0123456789`;
      s.honest.set(token, { id: 100 + user });
      const portal = user % 2 === 0 ? A : B;
      const verdict = await s.verifier.identify(portal, bearer(token), `198.51.100.${user + 1}`);
      if (!verdict.ok) refused.push(`${portal} user ${100 + user}: ${verdict.status}`);
    }
  }
  return { refused };
}

describe('the new-token limiter under a flood of bogus tokens', () => {
  it('lets every honest new token through while one IPv6 /64 rotates addresses to flood (the review saw 17 of 28 refused)', async () => {
    const s = scene();
    const { refused } = await floodMinute(
      s,
      (n) => `2001:db8:bad:1:${(n >> 16).toString(16)}:${(n & 0xffff).toString(16)}::1`,
      A,
    );
    expect(refused).toEqual([]);
  });

  it('lets every honest new token of other portals through while many clients flood one portal', async () => {
    const s = scene();
    const { refused } = await floodMinute(s, (n) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, A);
    expect(refused.filter((line) => line.startsWith(B))).toEqual([]);
  });

  it('counts a client by its /64: the same flood from one /64 is refused after the client budget, whatever the address', async () => {
    const s = scene();
    const verdicts = [];
    for (let n = 0; n < 200; n++)
      verdicts.push(await s.verifier.identify(A, bearer(`bogus-${n}-0123456789`), `2001:db8:bad:1::${n.toString(16)}`));
    const limited = verdicts.filter((v) => !v.ok && v.status === 429);
    expect(limited.length).toBeGreaterThan(100);
    expect(limited[0]).toMatchObject({ retryAfterS: expect.any(Number) });
    // Another /64 of the same provider is another client.
    s.honest.set('honest-x-0123456789', { id: 5 });
    expect(await s.verifier.identify(A, bearer('honest-x-0123456789'), '2001:db8:bad:2::1')).toMatchObject({
      ok: true,
    });
  });

  it("confirms an already verified token again after its cache time, even while its portal's budget is spent", async () => {
    const s = scene();
    s.honest.set('honest-known-0123456789', { id: 42 });
    expect(await s.verifier.identify(A, bearer('honest-known-0123456789'), '198.51.100.200')).toMatchObject({
      ok: true,
      value: { userId: 42 },
    });
    s.clock.t += 6 * 60_000;
    for (let n = 0; n < 7000; n++)
      await s.verifier.identify(A, bearer(`bogus-${n}-0123456789`), `10.1.${(n >> 8) & 255}.${n & 255}`);
    s.honest.set('honest-new-0123456789', { id: 43 });
    expect(await s.verifier.identify(A, bearer('honest-new-0123456789'), '198.51.100.201')).toMatchObject({
      ok: false,
      status: 429,
    });
    expect(await s.verifier.identify(A, bearer('honest-known-0123456789'), '198.51.100.200')).toMatchObject({
      ok: true,
      value: { userId: 42 },
    });
  });
});
