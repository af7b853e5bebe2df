// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { allowedOrigin, parsePortalDomain } from '../../../../src/server/auth/portal-origin.ts';
import { DEFAULT_PORTAL_ORIGINS } from '../../../../src/server/config.ts';

describe('parsePortalDomain', () => {
  it.each([
    ['Acme.Bitrix24.com', 'acme.bitrix24.com'],
    ['127.0.0.1:8090', '127.0.0.1:8090'],
    [' portal.example.com ', 'portal.example.com'],
  ])('accepts %j', (raw, domain) => {
    expect(parsePortalDomain(raw)).toBe(domain);
  });
  it.each([
    '',
    'https://acme.bitrix24.com',
    'acme.bitrix24.com/rest',
    'user@acme.bitrix24.com',
    'acme.bitrix24.com:0',
    'acme.bitrix24.com:99999',
    '[::1]:80',
    'a b',
  ])('refuses %j', (raw) => {
    expect(parsePortalDomain(raw)).toBeNull();
  });
});

describe('allowedOrigin', () => {
  const listed = ['https://portal.example.com', 'http://127.0.0.1:8090', 'https://*.bitrix24.de'];

  it('takes the scheme from the listed entry', () => {
    expect(allowedOrigin('portal.example.com', listed)).toBe('https://portal.example.com');
    expect(allowedOrigin('127.0.0.1:8090', listed)).toBe('http://127.0.0.1:8090');
    expect(allowedOrigin('acme.bitrix24.de', listed)).toBe('https://acme.bitrix24.de');
  });

  it('allows nothing else: other hosts, other ports, deeper names, look-alikes', () => {
    for (const domain of [
      'example.com',
      'portal.example.com:8443',
      '127.0.0.1:8091',
      '127.0.0.1',
      'a.b.bitrix24.de',
      'bitrix24.de',
      'evilbitrix24.de',
      'acme.bitrix24.de.evil.com',
    ]) {
      expect(allowedOrigin(domain, listed), domain).toBeNull();
    }
  });

  it('allows Bitrix24 cloud portals over https when PORTAL_ORIGINS is unset', () => {
    expect(allowedOrigin('acme.bitrix24.com', DEFAULT_PORTAL_ORIGINS)).toBe('https://acme.bitrix24.com');
    expect(allowedOrigin('acme.bitrix24.com.br', DEFAULT_PORTAL_ORIGINS)).toBe('https://acme.bitrix24.com.br');
    expect(allowedOrigin('acme.example.com', DEFAULT_PORTAL_ORIGINS)).toBeNull();
    expect(allowedOrigin('169.254.169.254', DEFAULT_PORTAL_ORIGINS)).toBeNull();
  });
});
