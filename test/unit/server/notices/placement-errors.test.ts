import { describe, expect, it } from 'vitest';
import { NOTICE_MAX_CHARS, parsePlacementNotice } from '../../../../src/server/notices/placement-errors.ts';

const parse = (body: string, type?: string) => parsePlacementNotice(Buffer.from(body), type, new Date(0));

describe('parsePlacementNotice', () => {
  it('reads the fields the portal sends with the event envelope', () => {
    const result = parse(
      'data%5Berror%5D=ERROR_PLACEMENT_LOADING_OVERTIME&auth%5Bdomain%5D=p.bitrix24.eu&auth%5Bmember_id%5D=m9&auth%5Bapplication_token%5D=t',
      'application/x-www-form-urlencoded; charset=utf-8',
    );
    expect(result).toEqual({
      ok: true,
      notice: {
        receivedAt: '1970-01-01T00:00:00.000Z',
        error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
        description: null,
        domain: 'p.bitrix24.eu',
        memberId: 'm9',
        placement: null,
        fields: { 'data[error]': 'ERROR_PLACEMENT_LOADING_OVERTIME' },
        droppedFields: 0,
        verified: false,
      },
    });
  });

  it('recognises an ERROR_ code in any field and a JSON body sent as text/plain', () => {
    expect(parse('{"result":"ERROR_PLACEMENT_LOADING_OVERTIME"}', 'text/plain')).toMatchObject({
      ok: true,
      notice: { error: 'ERROR_PLACEMENT_LOADING_OVERTIME' },
    });
  });

  it('drops auth, refresh, token and session-id fields', () => {
    const result = parse('error=E&AUTH_ID=a&REFRESH_ID=r&APP_SID=s&access_token=t&client_secret=c&keep=1');
    expect(result.ok && result.notice.fields).toEqual({ error: 'E', keep: '1' });
  });

  it('turns control characters into spaces so a notice cannot forge log lines', () => {
    const result = parse('error=E%0A2026-01-01%20INFO%20forged&DOMAIN=a%0D%0Ab');
    expect(result.ok && [result.notice.error, result.notice.domain]).toEqual(['E 2026-01-01 INFO forged', 'a  b']);
  });

  it('strips C1 controls, bidi overrides and line separators, which could disguise a notice on screen or in a log', () => {
    const sneaky = 'ERROR_X\u202Egnp.exe\u202C\u2066a\u2069\u2028b\u2029c\u0085d\u009Be';
    const result = parse(JSON.stringify({ error: sneaky, DOMAIN: 'p.bitrix24.de\u200E\u202A' }), 'application/json');
    expect(result.ok && [result.notice.error, result.notice.domain]).toEqual([
      'ERROR_Xgnp.exeabcde',
      'p.bitrix24.de\u200E',
    ]);
  });

  it('keeps text well-formed: a value cut through an emoji or a lone surrogate in JSON ends in U+FFFD, as a database would store it', () => {
    const result = parse(
      JSON.stringify({ error: 'ERROR_X', message: `${'d'.repeat(511)}😀`, note: 'a\ud800b' }),
      'application/json',
    );
    expect(result.ok && [result.notice.description, result.notice.fields.note]).toEqual([
      `${'d'.repeat(511)}\ufffd`,
      'a\ufffdb',
    ]);
  });

  it('refuses JSON nested deeper than a notice ever is with 400, before parsing it', () => {
    const deep = `{"error":"ERROR_X","a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(parse(deep, 'application/json')).toMatchObject({
      ok: false,
      status: 400,
      reason: expect.stringMatching(/nested/),
    });
    expect(
      parse('{"error":"ERROR_X","s":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 'application/json'),
    ).toMatchObject({ ok: true });
  });

  it('marks every notice as unverified: anyone can post one naming any portal', () => {
    expect(parse('error=E&member_id=m1')).toMatchObject({ ok: true, notice: { verified: false } });
  });

  it('keeps at most NOTICE_MAX_CHARS of keys and values per notice', () => {
    const body = ['error=E', ...Array.from({ length: 40 }, (_, i) => `f${i}=${'v'.repeat(600)}`)].join('&');
    const result = parse(body);
    const kept = result.ok
      ? Object.entries(result.notice.fields).reduce((n, [k, v]) => n + k.length + v.length, 0)
      : -1;
    expect(kept).toBeLessThanOrEqual(NOTICE_MAX_CHARS);
    expect(result.ok && result.notice.droppedFields).toBeGreaterThan(20);
  });

  it('refuses other content types with 415', () => {
    expect(parse('error=E', 'multipart/form-data; boundary=x')).toMatchObject({ ok: false, status: 415 });
  });
});
