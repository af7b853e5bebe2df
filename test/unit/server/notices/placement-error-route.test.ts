// /placement-error: the portal's notices that the worker page failed to load, stored without tokens
// and listed to the portal they name.
import { describe, expect, it } from 'vitest';
import { NOTICE, useDistServer } from '../http/dist-server.ts';

describe('/placement-error', () => {
  const running = useDistServer({ PLACEMENT_ERRORS_MAX: '3' });
  const { url, postForm, restart } = running;

  const list = async () =>
    ((await (await fetch(url('/placement-error'))).json()) as { notices: Record<string, unknown>[] }).notices;

  it("lists only the named portal's notices to a request through a proxy, and refuses to list them all", async () => {
    await postForm('/placement-error', NOTICE);
    await postForm('/placement-error', NOTICE.replace('member_id=m1', 'member_id=m2'));
    const through = (query: string) =>
      fetch(url(`/placement-error${query}`), { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect((await through('')).status).toBe(403);
    const body = (await (await through('?member_id=m2')).json()) as { notices: { memberId: string }[] };
    expect(body.notices.map((n) => n.memberId)).toEqual(['m2']);
  });

  it('stores a form notice without tokens, lists it and logs one WARN line', async () => {
    const res = await postForm('/placement-error', NOTICE);
    expect(res.status).toBe(200);
    const notices = await list();
    expect(notices).toEqual([
      {
        receivedAt: expect.any(String),
        error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
        description: 'Loading took over 5 s',
        domain: 'example.bitrix24.com',
        memberId: 'm1',
        placement: 'PAGE_BACKGROUND_WORKER',
        fields: {
          error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
          error_description: 'Loading took over 5 s',
          DOMAIN: 'example.bitrix24.com',
          member_id: 'm1',
          PLACEMENT: 'PAGE_BACKGROUND_WORKER',
        },
        droppedFields: 0,
        verified: false,
      },
    ]);
    expect(JSON.stringify(notices)).not.toContain('secret');
    const warns = running.lines.filter((l) => l.includes('WARN'));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain('ERROR_PLACEMENT_LOADING_OVERTIME');
    expect(warns[0]).toContain('example.bitrix24.com');
    expect(warns[0]).not.toContain('secret');
  });

  it('accepts a JSON notice', async () => {
    const res = await fetch(url('/placement-error'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
        auth: { domain: 'json.bitrix24.de', member_id: 'm2', access_token: 'secret' },
      }),
    });
    expect(res.status).toBe(200);
    expect(await list()).toMatchObject([
      {
        error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
        domain: 'json.bitrix24.de',
        memberId: 'm2',
        fields: { error: 'ERROR_PLACEMENT_LOADING_OVERTIME' },
      },
    ]);
  });

  it.each([
    ['application/json', '{not json'],
    ['application/json', '[1,2]'],
    ['application/x-www-form-urlencoded', 'hello=world'],
    ['application/x-www-form-urlencoded', ''],
  ])('rejects junk (%s %j) with 400 and stores nothing', async (type, body) => {
    const res = await fetch(url('/placement-error'), { method: 'POST', headers: { 'content-type': type }, body });
    expect(res.status).toBe(400);
    expect(await list()).toEqual([]);
  });

  it('rejects a body over 16 KiB with 413', async () => {
    const res = await postForm('/placement-error', `error=X&pad=${'a'.repeat(17 * 1024)}`);
    expect(res.status).toBe(413);
    expect(await list()).toEqual([]);
  });

  it('truncates long values and drops fields beyond 50', async () => {
    const extra = Array.from({ length: 70 }, (_, i) => `f${i}=v`).join('&');
    await postForm('/placement-error', `error=ERROR_X&description=${'d'.repeat(2000)}&${extra}`);
    const [notice] = await list();
    const fields = notice?.fields as Record<string, string>;
    expect(Object.keys(fields)).toHaveLength(50);
    expect(fields.description).toHaveLength(512);
    expect(notice?.droppedFields).toBe(22);
  });

  it('logs the socket address, not a forged X-Forwarded-For value, behind a trusted proxy', async () => {
    await restart({ TRUST_PROXY: '1' });
    const forged = `203.0.113.1 "forged" ${'x'.repeat(8000)}`;
    const res = await fetch(url('/placement-error'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forged },
      body: NOTICE,
    });
    expect(res.status).toBe(200);
    const warn = running.lines.find((l) => l.includes('WARN')) ?? '';
    expect(warn).toContain('(sent from 127.0.0.1)');
    expect(warn).not.toContain('forged');
  });

  it('lists by member_id only: a notice that names just the domain is never shown to a portal', async () => {
    await postForm('/placement-error', 'error=ERROR_PLANTED&DOMAIN=example.bitrix24.com');
    await postForm('/placement-error', NOTICE);
    const through = (query: string) =>
      fetch(url(`/placement-error${query}`), { headers: { 'x-forwarded-for': '203.0.113.9' } });
    const mine = (await (await through('?member_id=m1&domain=example.bitrix24.com')).json()) as {
      notices: { error: string }[];
    };
    expect(mine.notices.map((n) => n.error)).toEqual(['ERROR_PLACEMENT_LOADING_OVERTIME']);
    const guessed = (await (await through('?member_id=guess&domain=example.bitrix24.com')).json()) as {
      notices: unknown[];
    };
    expect(guessed.notices).toEqual([]);
  });

  it('answers a JSON body nested 5,000 deep with 400, not a 500', async () => {
    const deep = `{"error":"ERROR_X","a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await fetch(url('/placement-error'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deep,
    });
    expect(res.status).toBe(400);
    expect(running.lines.join('\n')).not.toMatch(/ERROR|RangeError/);
  });

  it('keeps only the newest PLACEMENT_ERRORS_MAX notices', async () => {
    for (let i = 1; i <= 6; i += 1)
      expect((await postForm('/placement-error', `error=ERROR_${i}&member_id=m${i}`)).status).toBe(200);
    expect((await list()).map((n) => n.error)).toEqual(['ERROR_6', 'ERROR_5', 'ERROR_4']);
  });
});
