import { describe, expect, it } from 'vitest';
import { parsePortalEvent } from '../../../../src/server/credentials/portal-event.ts';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const INSTALL = {
  event: 'ONAPPINSTALL',
  'data[VERSION]': '1',
  'data[LANGUAGE_ID]': 'de',
  ts: '1765000000',
  'auth[access_token]': 'access0123456789',
  'auth[expires_in]': '3600',
  'auth[scope]': 'placement,telephony',
  'auth[domain]': 'Acme.Bitrix24.com',
  'auth[client_endpoint]': 'https://acme.bitrix24.com/rest/',
  'auth[member_id]': 'da45a03b265edd8787f8a258d793cc5d',
  'auth[user_id]': '1',
  'auth[refresh_token]': 'refresh0123456789',
  'auth[application_token]': 'apptoken0123456789',
};

describe('the portal app events POSTed to /api/portal/events', () => {
  it('reads an install with the app tokens, its domain normalised', () => {
    expect(parsePortalEvent(form(INSTALL))).toEqual({
      ok: true,
      event: {
        kind: 'install',
        domain: 'acme.bitrix24.com',
        memberId: 'da45a03b265edd8787f8a258d793cc5d',
        applicationToken: 'apptoken0123456789',
        accessToken: 'access0123456789',
        refreshToken: 'refresh0123456789',
        expiresInS: 3600,
        userId: 1,
        language: 'de',
      },
    });
  });

  it('reads an uninstall, with and without the request to delete the data', () => {
    const base = {
      event: 'onappuninstall',
      'auth[domain]': 'acme.bitrix24.com',
      'auth[member_id]': 'm1',
      'auth[application_token]': 'apptoken0123456789',
    };
    expect(parsePortalEvent(form({ ...base, 'data[CLEAN]': '1' }))).toEqual({
      ok: true,
      event: {
        kind: 'uninstall',
        domain: 'acme.bitrix24.com',
        memberId: 'm1',
        applicationToken: 'apptoken0123456789',
        clean: true,
      },
    });
    expect(parsePortalEvent(form({ ...base, 'data[CLEAN]': '0' }))).toMatchObject({
      ok: true,
      event: { clean: false },
    });
    expect(parsePortalEvent(form(base))).toMatchObject({ ok: true, event: { clean: false } });
  });

  it.each([
    ['another event', { ...INSTALL, event: 'ONCRMLEADADD' }, 'event: not ONAPPINSTALL or ONAPPUNINSTALL'],
    ['no event', { 'auth[domain]': 'acme.bitrix24.com' }, 'event: not ONAPPINSTALL or ONAPPUNINSTALL'],
    [
      'an install without a refresh token',
      { ...INSTALL, 'auth[refresh_token]': '' },
      'auth.refresh_token: is not a token',
    ],
    [
      'an install without an application token',
      Object.fromEntries(Object.entries(INSTALL).filter(([key]) => key !== 'auth[application_token]')),
      'auth.application_token',
    ],
    [
      'a domain that is not one',
      { ...INSTALL, 'auth[domain]': 'evil.example/x?y' },
      'auth.domain: is not a portal domain',
    ],
    [
      'a token with markup in it',
      { ...INSTALL, 'auth[access_token]': '<script>alert(1)</script>' },
      'auth.access_token: is not a token',
    ],
  ])('refuses %s, naming the field', (_name, fields, reason) => {
    const parsed = parsePortalEvent(form(fields as Record<string, string>));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });
});
