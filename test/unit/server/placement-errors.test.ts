import { describe, expect, it } from 'vitest';
import { NOTICE_MAX_CHARS, createNoticeList, parsePlacementNotice, type PlacementErrorNotice } from '../../../src/server/placement-errors.ts';

const parse = (body: string, type?: string) => parsePlacementNotice(Buffer.from(body), type, new Date(0));

describe('parsePlacementNotice', () => {
  it('reads the fields the portal sends with the event envelope', () => {
    const result = parse('data%5Berror%5D=ERROR_PLACEMENT_LOADING_OVERTIME&auth%5Bdomain%5D=p.bitrix24.eu&auth%5Bmember_id%5D=m9&auth%5Bapplication_token%5D=t', 'application/x-www-form-urlencoded; charset=utf-8');
    expect(result).toEqual({
      ok: true,
      notice: {
        receivedAt: '1970-01-01T00:00:00.000Z', error: 'ERROR_PLACEMENT_LOADING_OVERTIME', description: null,
        domain: 'p.bitrix24.eu', memberId: 'm9', placement: null,
        fields: { 'data[error]': 'ERROR_PLACEMENT_LOADING_OVERTIME' }, droppedFields: 0,
      },
    });
  });

  it('recognises an ERROR_ code in any field and a JSON body sent as text/plain', () => {
    expect(parse('{"result":"ERROR_PLACEMENT_LOADING_OVERTIME"}', 'text/plain')).toMatchObject({ ok: true, notice: { error: 'ERROR_PLACEMENT_LOADING_OVERTIME' } });
  });

  it('drops auth, refresh, token and session-id fields', () => {
    const result = parse('error=E&AUTH_ID=a&REFRESH_ID=r&APP_SID=s&access_token=t&client_secret=c&keep=1');
    expect(result.ok && result.notice.fields).toEqual({ error: 'E', keep: '1' });
  });

  it('turns control characters into spaces so a notice cannot forge log lines', () => {
    const result = parse('error=E%0A2026-01-01%20INFO%20forged&DOMAIN=a%0D%0Ab');
    expect(result.ok && [result.notice.error, result.notice.domain]).toEqual(['E 2026-01-01 INFO forged', 'a  b']);
  });

  it('keeps at most NOTICE_MAX_CHARS of keys and values per notice', () => {
    const body = ['error=E', ...Array.from({ length: 40 }, (_, i) => `f${i}=${'v'.repeat(600)}`)].join('&');
    const result = parse(body);
    const kept = result.ok ? Object.entries(result.notice.fields).reduce((n, [k, v]) => n + k.length + v.length, 0) : -1;
    expect(kept).toBeLessThanOrEqual(NOTICE_MAX_CHARS);
    expect(result.ok && result.notice.droppedFields).toBeGreaterThan(20);
  });

  it('refuses other content types with 415', () => {
    expect(parse('error=E', 'multipart/form-data; boundary=x')).toMatchObject({ ok: false, status: 415 });
  });
});

describe('createNoticeList', () => {
  const notice = (error: string) => ({ error }) as PlacementErrorNotice;

  it('keeps the newest notices up to its size, newest first', () => {
    const list = createNoticeList(2);
    ['A', 'B', 'C'].forEach((e) => list.add(notice(e)));
    expect(list.list().map((n) => n.error)).toEqual(['C', 'B']);
  });

  it('keeps nothing when its size is 0', () => {
    const list = createNoticeList(0);
    list.add(notice('A'));
    expect(list.list()).toEqual([]);
  });
});
