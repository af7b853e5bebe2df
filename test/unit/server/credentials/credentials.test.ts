// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Driver } from '../../../../src/server/db/index.ts';
import { createCredentials, RENEW_EVERY_MS } from '../../../../src/server/credentials/credentials-service.ts';
import { findInstall, saveInstall } from '../../../../src/server/credentials/install-store.ts';
import { createSecretBox } from '../../../../src/server/credentials/secret-box.ts';
import { useEmbeddedDatabase } from '../../../support/embedded-database.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET, useOAuthServer } from '../../../support/oauth-server.ts';
import { useTwoServersOnOneDatabase } from '../../../support/throwaway-database.ts';

const box = createSecretBox(TEST_CLIENT_SECRET);
const oauth = useOAuthServer();
let portals = 0;

/** Installs the app in a new portal, as a verified ONAPPINSTALL would: its tokens sealed in the store. */
async function installed(db: Driver, clock: { t: number }) {
  portals += 1;
  const portal = `p${portals}.bitrix24.com`;
  const tokens = oauth.issuer.issue(portal, `member${portals}`);
  await saveInstall(db, {
    portal,
    memberId: `member${portals}`,
    applicationToken: `app-token-${portals}-0123456789`,
    installedBy: 1,
    language: 'en',
    sealedRefreshToken: box.seal(portal, tokens.refresh_token),
    sealedAccessToken: box.seal(portal, tokens.access_token),
    accessExpiresAt: new Date(clock.t + tokens.expires_in * 1000),
    at: new Date(clock.t),
  });
  return { portal, tokens };
}

function service(db: Driver, clock: { t: number }, warnings: string[] = []) {
  return createCredentials({
    db,
    box,
    oauth: { oauthUrl: oauth.url, clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET },
    now: () => clock.t,
    warn: (line) => warnings.push(line),
  });
}

describe('the app credentials on the embedded database', () => {
  const embedded = useEmbeddedDatabase('relay-credentials-');

  it('hands out the stored access token while it is good, asking the OAuth server nothing', async () => {
    const clock = { t: Date.now() };
    const { portal, tokens } = await installed(embedded.db, clock);
    const before = oauth.issuer.renewals();
    expect(await service(embedded.db, clock).accessToken(portal)).toEqual({
      ok: true,
      accessToken: tokens.access_token,
    });
    expect(oauth.issuer.renewals()).toBe(before);
  });

  it('renews once the hour has run out, and stores the new refresh token sealed before handing out the access token', async () => {
    const clock = { t: Date.now() };
    const { portal, tokens } = await installed(embedded.db, clock);
    const credentials = service(embedded.db, clock);
    clock.t += 3600_000 - 30_000;
    const renewed = await credentials.accessToken(portal);
    expect(renewed.ok && renewed.accessToken).not.toBe(tokens.access_token);
    const row = await findInstall(embedded.db, portal);
    const storedRefresh = box.open(portal, row?.refreshToken ?? '');
    expect(storedRefresh).not.toBe(tokens.refresh_token);
    expect(JSON.stringify(row)).not.toContain(storedRefresh ?? 'no refresh token stored');
    expect(renewed.ok && oauth.issuer.accessOf(renewed.accessToken)).toEqual({
      domain: portal,
      memberId: expect.any(String),
    });
    // The next hour renews again with the stored refresh token: the app keeps its access.
    clock.t += 3600_000;
    expect((await credentials.accessToken(portal)).ok).toBe(true);
  });

  it('renews once when many ask at the same moment', async () => {
    const clock = { t: Date.now() };
    const { portal } = await installed(embedded.db, clock);
    const credentials = service(embedded.db, clock);
    clock.t += 2 * 3600_000;
    const before = oauth.issuer.renewals();
    const answers = await Promise.all(Array.from({ length: 5 }, () => credentials.accessToken(portal)));
    expect(oauth.issuer.renewals() - before).toBe(1);
    expect(new Set(answers.map((a) => (a.ok ? a.accessToken : a.reason))).size).toBe(1);
  });

  it('marks a portal whose refresh token the OAuth server refuses, logs it once, and asks no more', async () => {
    const clock = { t: Date.now() };
    const { portal, tokens } = await installed(embedded.db, clock);
    // Someone else used the refresh token first: the OAuth server refuses the stored one from now on.
    oauth.issuer.token(
      new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        refresh_token: tokens.refresh_token,
      }),
    );
    const warnings: string[] = [];
    const credentials = service(embedded.db, clock, warnings);
    clock.t += 2 * 3600_000;
    const requests = oauth.requests;
    expect(await credentials.accessToken(portal)).toMatchObject({ ok: false, reason: 'renewal-refused' });
    expect(await credentials.accessToken(portal)).toMatchObject({ ok: false, reason: 'renewal-refused' });
    expect(oauth.requests - requests).toBe(1);
    expect(warnings).toEqual([
      expect.stringContaining(`${portal}: the OAuth server refused the refresh token (invalid_grant)`),
    ]);
    expect(warnings.join('\n')).not.toContain(tokens.refresh_token);
    expect((await findInstall(embedded.db, portal))?.renewalError).toBe('invalid_grant');
  });

  it('lets a closing server wait for a renewal under way, so the new refresh token is stored before the database closes', async () => {
    const clock = { t: Date.now() };
    const { portal, tokens } = await installed(embedded.db, clock);
    const slow: typeof fetch = (input, init) =>
      new Promise((resolve) => setTimeout(resolve, 200)).then(() => fetch(input, init));
    const credentials = createCredentials({
      db: embedded.db,
      box,
      oauth: { oauthUrl: oauth.url, clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET },
      fetch: slow,
      now: () => clock.t,
      warn: () => undefined,
    });
    clock.t += 2 * 3600_000;
    void credentials.accessToken(portal);
    await credentials.idle();
    const row = await findInstall(embedded.db, portal);
    expect(box.open(portal, row?.refreshToken ?? '')).not.toBe(tokens.refresh_token);
  });

  it('says a portal that never installed the app here is not installed', async () => {
    expect(await service(embedded.db, { t: Date.now() }).accessToken('never.bitrix24.com')).toMatchObject({
      ok: false,
      reason: 'not-installed',
    });
  });

  it('tells an unreachable OAuth server apart from a refusal, and keeps the refresh token for the next try', async () => {
    const clock = { t: Date.now() };
    const { portal } = await installed(embedded.db, clock);
    const credentials = createCredentials({
      db: embedded.db,
      box,
      oauth: { oauthUrl: 'http://127.0.0.1:9', clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET },
      now: () => clock.t,
      warn: () => undefined,
    });
    clock.t += 2 * 3600_000;
    expect(await credentials.accessToken(portal)).toMatchObject({ ok: false, reason: 'unavailable' });
    expect((await service(embedded.db, clock).accessToken(portal)).ok).toBe(true);
  });

  it('renews every refresh token older than a week, so none lapses after 28 days unused', async () => {
    const clock = { t: Date.now() };
    const { portal } = await installed(embedded.db, clock);
    const credentials = service(embedded.db, clock);
    expect(await credentials.renewStale()).toBe(0);
    clock.t += RENEW_EVERY_MS + 60_000;
    const before = oauth.issuer.renewals();
    expect(await credentials.renewStale()).toBeGreaterThanOrEqual(1);
    expect(oauth.issuer.renewals() - before).toBeGreaterThanOrEqual(1);
    const row = await findInstall(embedded.db, portal);
    expect(new Date(row?.renewedAt ?? 0).getTime()).toBeGreaterThan(clock.t - RENEW_EVERY_MS);
  });
});

const url = process.env.DATABASE_URL;
describe.skipIf(!url)('the app credentials on PostgreSQL, two servers sharing it', () => {
  const servers = useTwoServersOnOneDatabase(url ?? '', 'relay_credentials');

  it('renews once when both servers find the token expired at once, and both keep the access', async () => {
    const clock = { t: Date.now() };
    const { portal } = await installed(servers.one, clock);
    const first = service(servers.one, clock);
    const second = service(servers.two, clock);
    clock.t += 2 * 3600_000;
    const before = oauth.issuer.renewals();
    const answers = await Promise.all([
      first.accessToken(portal),
      second.accessToken(portal),
      first.accessToken(portal),
      second.accessToken(portal),
    ]);
    expect(oauth.issuer.renewals() - before).toBe(1);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(new Set(answers.map((a) => (a.ok ? a.accessToken : '')))).toHaveProperty('size', 1);
    clock.t += 2 * 3600_000;
    expect((await second.accessToken(portal)).ok).toBe(true);
    expect(oauth.issuer.renewals() - before).toBe(2);
  });
});
