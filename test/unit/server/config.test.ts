import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configProblems } from '../../support/config-problems.ts';
import { DEFAULT_PORTAL_ORIGINS, parsePortalOrigin, parseServerConfig } from '../../../src/server/config.ts';

const problemsOf = configProblems;

describe('parseServerConfig', () => {
  it('falls back to defaults for an empty environment', () => {
    expect(parseServerConfig({})).toEqual({
      port: 8080,
      healthPort: null,
      host: '127.0.0.1',
      distDir: resolve(import.meta.dirname, '../../../dist'),
      portalOrigins: [...DEFAULT_PORTAL_ORIGINS],
      logFormat: 'text',
      placementErrorsMax: 100,
      trustProxy: false,
      stats: true,
      dataDir: resolve('data'),
      databaseUrl: null,
      retentionDays: 180,
      eventsPerPortalDay: 100_000,
      warmUpMs: 3000,
      devOrigins: false,
      receiverOrigins: [],
      hstsMaxAge: 0,
      webhooksAllowPrivate: false,
      b24ClientId: null,
      b24ClientSecret: null,
      b24OauthUrl: 'https://oauth.bitrix.info',
      webhooksMaxPending: 10_000,
    });
  });

  it('refuses a TRUST_PROXY that is not a yes or a no', () => {
    expect(() => parseServerConfig({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY="maybe": must be 1 or 0/);
  });

  it('treats empty variables as unset', () => {
    expect(parseServerConfig({ PORT: '', HOST: ' ', PORTAL_ORIGINS: '' }).port).toBe(8080);
  });

  it('reads every variable when they are valid', () => {
    expect(
      parseServerConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DIST_DIR: '/srv/relay/dist',
        LOG_FORMAT: 'json',
        PLACEMENT_ERRORS_MAX: '5',
        TRUST_PROXY: '1',
        PORTAL_ORIGINS: 'https://Example.bitrix24.com, https://*.bitrix24.de http://127.0.0.1:5173/',
        DEV_ORIGINS: 'yes',
        RECEIVER_ORIGINS: 'https://PBX.example.com/ https://*.hooks.example.org',
        HSTS_MAX_AGE: '63072000',
        WARM_UP_MS: '0',
        HEALTH_PORT: '8081',
        WEBHOOKS_MAX_PENDING: '500',
      }),
    ).toEqual({
      port: 0,
      healthPort: 8081,
      host: '127.0.0.1',
      distDir: '/srv/relay/dist',
      logFormat: 'json',
      placementErrorsMax: 5,
      trustProxy: true,
      stats: true,
      dataDir: resolve('data'),
      databaseUrl: null,
      retentionDays: 180,
      eventsPerPortalDay: 100_000,
      warmUpMs: 0,
      webhooksAllowPrivate: false,
      webhooksMaxPending: 500,
      portalOrigins: ['https://example.bitrix24.com', 'https://*.bitrix24.de', 'http://127.0.0.1:5173'],
      devOrigins: true,
      receiverOrigins: ['https://pbx.example.com', 'https://*.hooks.example.org'],
      hstsMaxAge: 63072000,
      b24ClientId: null,
      b24ClientSecret: null,
      b24OauthUrl: 'https://oauth.bitrix.info',
    });
  });

  it.each(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', '::', 'relay.internal'])('accepts HOST=%s', (host) => {
    expect(parseServerConfig({ HOST: host }).host).toBe(host.replace(/[[\]]/g, ''));
  });

  it.each([
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80a'],
    ['PORT', '8.5'],
    ['HEALTH_PORT', '65536'],
    ['HEALTH_PORT', 'probe'],
    ['HEALTH_PORT', '8080'],
    ['HOST', 'not a host'],
    ['HOST', 'http://localhost'],
    ['LOG_FORMAT', 'xml'],
    ['PLACEMENT_ERRORS_MAX', 'lots'],
    ['PLACEMENT_ERRORS_MAX', '1001'],
    ['DEV_ORIGINS', 'sometimes'],
    ['RECEIVER_ORIGINS', 'https://*.co.uk'],
    ['RECEIVER_ORIGINS', 'https://a.com;script-src'],
    ['HSTS_MAX_AGE', 'forever'],
    ['HSTS_MAX_AGE', '63072001'],
    ['WEBHOOKS_MAX_PENDING', '0'],
    ['WEBHOOKS_MAX_PENDING', '1000001'],
    ['WEBHOOKS_MAX_PENDING', '10k'],
    ['WEBHOOKS_MAX_PENDING', '-5'],
    ['PORTAL_ORIGINS', 'example.bitrix24.com'],
    ['PORTAL_ORIGINS', ','],
    ['PORTAL_ORIGINS', 'https://portal.example.com;script-src'],
  ])('rejects %s=%s and names the variable', (name, value) => {
    expect(problemsOf({ [name]: value })).toContain(`${name}=`);
  });

  it('lists every bad variable in one error', () => {
    const message = problemsOf({
      PORT: 'x',
      HOST: '%',
      LOG_FORMAT: 'xml',
      PLACEMENT_ERRORS_MAX: '-3',
      PORTAL_ORIGINS: 'ftp://a.com,https://ok.com,https://a.com/path',
    });
    expect(message).toMatch(/6 problems/);
    for (const name of ['PORT=', 'HOST=', 'LOG_FORMAT=', 'PLACEMENT_ERRORS_MAX=']) expect(message).toContain(name);
    expect(message).toContain('"ftp://a.com" is not an origin');
    expect(message).toContain('"https://a.com/path" is not an origin');
  });
});

describe("the app's own credentials", () => {
  const SECRET = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmn';

  it('reads the client id, the key and the OAuth server', () => {
    expect(
      parseServerConfig({
        B24_CLIENT_ID: 'local.56017020f07e17.98523769',
        B24_CLIENT_SECRET: SECRET,
        B24_OAUTH_URL: 'https://oauth.example.com/',
      }),
    ).toMatchObject({
      b24ClientId: 'local.56017020f07e17.98523769',
      b24ClientSecret: SECRET,
      b24OauthUrl: 'https://oauth.example.com',
    });
    expect(parseServerConfig({ B24_CLIENT_ID: 'app.hold-relay.v2', B24_CLIENT_SECRET: SECRET }).b24ClientId).toBe(
      'app.hold-relay.v2',
    );
    expect(parseServerConfig({ B24_OAUTH_URL: 'http://127.0.0.1:9000/oauth' }).b24OauthUrl).toBe(
      'http://127.0.0.1:9000/oauth',
    );
  });

  it.each(
    [
      'local.56017020f07e17',
      'local.xyz.98523769',
      'local..1',
      '56017020f07e17.98523769',
      'app.',
      'app.a b',
      'local.56017020f07e17.98523769 ',
    ].filter((id) => id.trim() === id),
  )('refuses B24_CLIENT_ID=%s and names the variable', (id) => {
    expect(problemsOf({ B24_CLIENT_ID: id, B24_CLIENT_SECRET: SECRET })).toContain('B24_CLIENT_ID=');
  });

  it.each([
    'http://oauth.bitrix.info',
    'https://user:pw@oauth.bitrix.info',
    'https://oauth.bitrix.info/?x=1',
    'oauth.bitrix.info',
    'ftp://oauth.bitrix.info',
  ])('refuses B24_OAUTH_URL=%s', (url) => {
    expect(problemsOf({ B24_OAUTH_URL: url })).toContain('B24_OAUTH_URL=');
  });

  it('refuses a bad key without ever showing it', () => {
    for (const secret of ['short', 'has blanks in the middle of it', `${'x'.repeat(257)}`]) {
      const message = problemsOf({ B24_CLIENT_ID: 'local.56017020f07e17.98523769', B24_CLIENT_SECRET: secret });
      expect(message).toContain('B24_CLIENT_SECRET (value not shown)');
      expect(message).not.toContain(secret);
    }
  });

  it('wants the client id and the key together, and names neither value', () => {
    expect(problemsOf({ B24_CLIENT_ID: 'local.56017020f07e17.98523769' })).toContain('set both');
    const message = problemsOf({ B24_CLIENT_SECRET: SECRET });
    expect(message).toContain('set both');
    expect(message).not.toContain(SECRET);
  });
});

describe('parsePortalOrigin', () => {
  it.each([
    ['https://portal.bitrix24.com', 'https://portal.bitrix24.com'],
    ['HTTPS://Portal.Bitrix24.COM/', 'https://portal.bitrix24.com'],
    ['https://portal.example.com:443', 'https://portal.example.com'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
    ['https://*.bitrix24.com.br', 'https://*.bitrix24.com.br'],
    ['https://*.portals.example.co.uk', 'https://*.portals.example.co.uk'],
    ['https://*.example.co.uk', 'https://*.example.co.uk'],
    ['http://127.0.0.1:5173', 'http://127.0.0.1:5173'],
    ['https://xn--e1afmkfd.xn--p1ai', 'https://xn--e1afmkfd.xn--p1ai'],
  ])('normalises %s to %s', (raw, origin) => {
    expect(parsePortalOrigin(raw)).toBe(origin);
  });

  it.each([
    'portal.bitrix24.com',
    'ftp://portal.bitrix24.com',
    'https://portal.bitrix24.com/path',
    'https://portal.bitrix24.com?x=1',
    'https://user:pw@portal.bitrix24.com',
    'https://*.de',
    'https://a.*.bitrix24.com',
    'https://*',
    '*',
    "'self'",
    'https://**.bitrix24.com',
    'https://*.127.0.0.1',
    "https://portal.example.com;script-src 'unsafe-inline'",
    'https://portal.example.com;',
    'https://a;b.example.com',
    'https://portal_1.example.com',
    'https://portal.example.com%3B',
    'https://portal.example.com.',
    'https://пример.рф',
    'https://*.co.uk',
    'https://*.com.br',
    'https://*.github.io',
    'https://*.localhost',
    'https://*.internal',
  ])('rejects %s', (raw) => {
    expect(parsePortalOrigin(raw)).toBeNull();
  });
});
