import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/server/http/server.ts';
import { NOTICES_PER_ADDRESS_PER_MINUTE, NOTICES_PER_PORTAL_PER_MINUTE } from '../../../src/server/notices/routes.ts';
import { parseServerConfig } from '../../../src/server/config.ts';
import { APP_HTML, makeDist, WORKER_HTML } from './temp-dist.ts';

const PORTAL_FORM = 'DOMAIN=example.bitrix24.com&PROTOCOL=1&LANG=en&APP_SID=sid123&AUTH_ID=secret-auth-token&REFRESH_ID=secret-refresh&member_id=m1&PLACEMENT=PAGE_BACKGROUND_WORKER';
const NOTICE = 'error=ERROR_PLACEMENT_LOADING_OVERTIME&error_description=Loading+took+over+5+s&DOMAIN=example.bitrix24.com&member_id=m1&PLACEMENT=PAGE_BACKGROUND_WORKER&AUTH_ID=secret-auth-token&auth%5Baccess_token%5D=secret-token';

let dist: string;
let server: RunningServer;
let lines: string[];

async function start(env: Record<string, string> = {}, withApp = true): Promise<void> {
  dist = makeDist(withApp);
  lines = [];
  server = await startServer(
    parseServerConfig({ PORT: '0', HOST: '127.0.0.1', DIST_DIR: dist, PORTAL_ORIGINS: 'https://example.bitrix24.com,https://*.bitrix24.de', STATS: 'off', ...env }),
    (line) => lines.push(line),
  );
}

const url = (path: string) => new URL(path, server.url).href;
const postForm = (path: string, body: string) =>
  fetch(url(path), { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

afterEach(async () => {
  await server.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('pages', () => {
  beforeEach(() => start());

  it('answers the portal POST on / with the worker page and never logs or echoes the form', async () => {
    const res = await postForm('/?DOMAIN=example.bitrix24.com&AUTH_ID=query-secret', PORTAL_FORM);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await res.text();
    expect(text).toBe(WORKER_HTML);
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.join('\n')).not.toMatch(/secret|AUTH_ID|DOMAIN/);
    expect(lines.some((l) => / POST \/ 200 \d+B [\d.]+ms$/.test(l))).toBe(true);
  });

  it('answers GET and HEAD on / with the worker page', async () => {
    expect(await (await fetch(url('/'))).text()).toBe(WORKER_HTML);
    const head = await fetch(url('/'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('serves /app/ and /app for GET and POST', async () => {
    expect(await (await fetch(url('/app/'))).text()).toBe(APP_HTML);
    expect(await (await fetch(url('/app'))).text()).toBe(APP_HTML);
    expect(await (await postForm('/app/', PORTAL_FORM)).text()).toBe(APP_HTML);
  });

  it('answers a revalidation of the worker page with 304', async () => {
    const etag = (await fetch(url('/'))).headers.get('etag');
    expect(etag).toBeTruthy();
    const res = await fetch(url('/'), { headers: { 'if-none-match': etag as string } });
    expect(res.status).toBe(304);
  });

  it('sends the worker page compressed to clients that accept brotli', async () => {
    const big = `<!doctype html><title>w</title>${'<p>hold relay</p>'.repeat(200)}`;
    writeFileSync(join(dist, 'index.html'), big);
    await server.close();
    lines = [];
    server = await startServer(parseServerConfig({ PORT: '0', HOST: '127.0.0.1', DIST_DIR: dist, STATS: 'off' }), (l) => lines.push(l));
    const res = await fetch(url('/'), { headers: { 'accept-encoding': 'br' } });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(await res.text()).toBe(big);
  });

  it('rejects a POST body over 64 KiB with 413', async () => {
    const res = await postForm('/', 'a'.repeat(65 * 1024));
    expect(res.status).toBe(413);
  });

  it('rejects an oversized chunked POST body with 413 without reading all of it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url('/'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i += 1) req.write(Buffer.alloc(8 * 1024, 'a'));
      req.end();
    });
    expect(status).toBe(413);
  });
});

describe('shutdown', () => {
  beforeEach(() => start());

  it('finishes a request in flight when closed, then stops accepting', async () => {
    const response = new Promise<number>((resolve, reject) => {
      const req = request(url('/'), { method: 'POST', headers: { 'content-length': String(PORTAL_FORM.length) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(PORTAL_FORM.slice(0, 10));
      setTimeout(() => req.end(PORTAL_FORM.slice(10)), 100);
    });
    await new Promise((r) => setTimeout(r, 30));
    const closed = server.close();
    expect(await response).toBe(200);
    await closed;
    await expect(fetch(url('/healthz'))).rejects.toThrow();
  });
});

describe('when the app page is not built', () => {
  beforeEach(() => start({}, false));

  it('answers /app/ with a 404 that says so', async () => {
    const res = await fetch(url('/app/'));
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/app page is not built/);
  });
});

describe('static files and headers', () => {
  beforeEach(() => start());

  it('caches hashed assets for a year and HTML never without revalidation', async () => {
    const asset = await fetch(url('/assets/x-abc123.js'));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(url('/'))).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(url('/app/'))).headers.get('cache-control')).toBe('no-cache');
  });

  it('sets the security headers, with frame-ancestors listing the configured portals', async () => {
    for (const path of ['/', '/assets/x-abc123.js', '/healthz', '/nope']) {
      const res = await fetch(url(path));
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'self' https://example.bitrix24.com https://*.bitrix24.de");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain('connect-src');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('server')).toBeNull();
    }
  });

  it('answers unknown paths with 404, not the worker page', async () => {
    for (const path of ['/nope', '/assets/missing.js', '/app/other']) {
      const res = await fetch(url(path));
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers POST and other methods elsewhere with 405 and Allow', async () => {
    const post = await postForm('/nope', 'a=1');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const del = await fetch(url('/'), { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD, POST');
  });

  it('reports health at /healthz without caching', async () => {
    const res = await fetch(url('/healthz'));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok', uptimeS: expect.any(Number) });
  });

  it('answers /healthz alone on HEALTH_PORT, with the security headers, and closes that port with the server', async () => {
    await server.close();
    server = await startServer(parseServerConfig({ PORT: '0', HEALTH_PORT: '0', HOST: '127.0.0.1', DIST_DIR: dist, STATS: 'off', HSTS_MAX_AGE: '600' }), () => undefined);
    expect(server.healthPort).toEqual(expect.any(Number));
    expect(server.healthPort).not.toBe(server.port);
    const on = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${server.healthPort}${path}`, init);
    const res = await on('/healthz?probe=1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', uptimeS: expect.any(Number) });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=600');
    expect((await on('/')).status).toBe(404);
    expect((await on('/app/')).status).toBe(404);
    const post = await on('/healthz', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const port = server.healthPort;
    await server.close();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    server = await startServer(parseServerConfig({ PORT: '0', HOST: '127.0.0.1', DIST_DIR: dist, STATS: 'off' }), () => undefined);
    expect(server.healthPort).toBeNull();
  });

  it('logs one JSON object per request without the query string when LOG_FORMAT=json', async () => {
    await server.close();
    lines = [];
    server = await startServer(parseServerConfig({ PORT: '0', HOST: '127.0.0.1', DIST_DIR: dist, LOG_FORMAT: 'json', STATS: 'off' }), (l) => lines.push(l));
    await (await fetch(url('/healthz?token=abc'))).text();
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: expect.any(String), level: 'info', method: 'GET', path: '/healthz', status: 200, bytes: expect.any(Number), ms: expect.any(Number) },
    ]);
  });
});

describe('/placement-error', () => {
  it('lists only the named portal\'s notices to a request through a proxy, and refuses to list them all', async () => {
    await postForm('/placement-error', NOTICE);
    await postForm('/placement-error', NOTICE.replace('member_id=m1', 'member_id=m2'));
    const through = (query: string) => fetch(url(`/placement-error${query}`), { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect((await through('')).status).toBe(403);
    const body = (await (await through('?member_id=m2')).json()) as { notices: { memberId: string }[] };
    expect(body.notices.map((n) => n.memberId)).toEqual(['m2']);
  });

  beforeEach(() => start({ PLACEMENT_ERRORS_MAX: '3' }));

  const list = async () => ((await (await fetch(url('/placement-error'))).json()) as { notices: Record<string, unknown>[] }).notices;

  it('stores a form notice without tokens, lists it and logs one WARN line', async () => {
    const res = await postForm('/placement-error', NOTICE);
    expect(res.status).toBe(200);
    const notices = await list();
    expect(notices).toEqual([{
      receivedAt: expect.any(String),
      error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
      description: 'Loading took over 5 s',
      domain: 'example.bitrix24.com',
      memberId: 'm1',
      placement: 'PAGE_BACKGROUND_WORKER',
      fields: {
        error: 'ERROR_PLACEMENT_LOADING_OVERTIME', error_description: 'Loading took over 5 s',
        DOMAIN: 'example.bitrix24.com', member_id: 'm1', PLACEMENT: 'PAGE_BACKGROUND_WORKER',
      },
      droppedFields: 0,
      verified: false,
    }]);
    expect(JSON.stringify(notices)).not.toContain('secret');
    const warns = lines.filter((l) => l.includes('WARN'));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain('ERROR_PLACEMENT_LOADING_OVERTIME');
    expect(warns[0]).toContain('example.bitrix24.com');
    expect(warns[0]).not.toContain('secret');
  });

  it('accepts a JSON notice', async () => {
    const res = await fetch(url('/placement-error'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'ERROR_PLACEMENT_LOADING_OVERTIME', auth: { domain: 'json.bitrix24.de', member_id: 'm2', access_token: 'secret' } }),
    });
    expect(res.status).toBe(200);
    expect(await list()).toMatchObject([{ error: 'ERROR_PLACEMENT_LOADING_OVERTIME', domain: 'json.bitrix24.de', memberId: 'm2', fields: { error: 'ERROR_PLACEMENT_LOADING_OVERTIME' } }]);
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

  it('limits each client behind a trusted proxy on its own, by the last X-Forwarded-For entry', async () => {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
    await start({ TRUST_PROXY: '1' });
    const from = (client: string) => fetch(url('/placement-error'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.51.100.7, ${client}` }, body: 'junk=1' });
    for (let i = 0; i < NOTICES_PER_ADDRESS_PER_MINUTE; i += 1) expect((await from('203.0.113.1')).status).toBe(400);
    expect((await from('203.0.113.1')).status).toBe(429);
    expect((await from('203.0.113.2')).status).toBe(400);
  });

  it('logs the socket address, not a forged X-Forwarded-For value, behind a trusted proxy', async () => {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
    await start({ TRUST_PROXY: '1' });
    const forged = `203.0.113.1 "forged" ${'x'.repeat(8000)}`;
    const res = await fetch(url('/placement-error'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forged }, body: NOTICE });
    expect(res.status).toBe(200);
    const warn = lines.find((l) => l.includes('WARN')) ?? '';
    expect(warn).toContain('(sent from 127.0.0.1)');
    expect(warn).not.toContain('forged');
  });

  it('lists by member_id only: a notice that names just the domain is never shown to a portal', async () => {
    await postForm('/placement-error', 'error=ERROR_PLANTED&DOMAIN=example.bitrix24.com');
    await postForm('/placement-error', NOTICE);
    const through = (query: string) => fetch(url(`/placement-error${query}`), { headers: { 'x-forwarded-for': '203.0.113.9' } });
    const mine = (await (await through('?member_id=m1&domain=example.bitrix24.com')).json()) as { notices: { error: string }[] };
    expect(mine.notices.map((n) => n.error)).toEqual(['ERROR_PLACEMENT_LOADING_OVERTIME']);
    const guessed = (await (await through('?member_id=guess&domain=example.bitrix24.com')).json()) as { notices: unknown[] };
    expect(guessed.notices).toEqual([]);
  });

  it('answers a JSON body nested 5,000 deep with 400, not a 500', async () => {
    const deep = `{"error":"ERROR_X","a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await fetch(url('/placement-error'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
    expect(res.status).toBe(400);
    expect(lines.join('\n')).not.toMatch(/ERROR|RangeError/);
  });

  it('limits a whole IPv6 /64 behind a trusted proxy as one client, so rotating addresses does not help', async () => {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
    await start({ TRUST_PROXY: '1' });
    const from = (client: string) => fetch(url('/placement-error'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client }, body: 'junk=1' });
    for (let i = 0; i < NOTICES_PER_ADDRESS_PER_MINUTE; i += 1) expect((await from(`2001:db8:1:2::${(i + 1).toString(16)}`)).status).toBe(400);
    expect((await from('2001:db8:1:2:ffff:ffff:ffff:ffff')).status).toBe(429);
    expect((await from('2001:db8:1:3::1')).status).toBe(400);
  });

  it('limits the notices naming one portal, whoever sends them, and not the others', async () => {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
    await start({ TRUST_PROXY: '1' });
    const notice = (memberId: string, client: string) => fetch(url('/placement-error'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client }, body: `error=ERROR_X&member_id=${memberId}` });
    for (let i = 0; i < NOTICES_PER_PORTAL_PER_MINUTE; i += 1) expect((await notice('m1', `198.51.100.${i + 1}`)).status).toBe(200);
    expect((await notice('m1', '198.51.100.200')).status).toBe(429);
    expect((await notice('m2', '198.51.100.201')).status).toBe(200);
  });

  it('answers 429 with Retry-After once one address sends too many', async () => {
    for (let i = 0; i < NOTICES_PER_ADDRESS_PER_MINUTE; i += 1) expect((await postForm('/placement-error', 'junk=1')).status).toBe(400);
    const res = await postForm('/placement-error', NOTICE);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('keeps only the newest PLACEMENT_ERRORS_MAX notices', async () => {
    for (let i = 1; i <= 6; i += 1) expect((await postForm('/placement-error', `error=ERROR_${i}&member_id=m${i}`)).status).toBe(200);
    expect((await list()).map((n) => n.error)).toEqual(['ERROR_6', 'ERROR_5', 'ERROR_4']);
  });
});

describe('files removed under a running server', () => {
  beforeEach(() => start());
  afterEach(async () => {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('answers 404 for an asset deleted since start (a rebuild in place) and keeps serving', async () => {
    rmSync(join(dist, 'assets', 'x-abc123.js'));
    expect((await fetch(url('/assets/x-abc123.js'))).status).toBe(404);
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });
});
