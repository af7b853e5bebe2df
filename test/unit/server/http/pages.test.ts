// The pages the server answers: the worker page on / (the portal POSTs to it) and the app page on /app/.
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../../../src/server/http/server.ts';
import { parseServerConfig } from '../../../../src/server/config.ts';
import { PORTAL_FORM, useDistServer } from './dist-server.ts';
import { APP_HTML, WORKER_HTML } from '../temp-dist.ts';

describe('pages', () => {
  const running = useDistServer();
  const { url, postForm } = running;

  it('answers the portal POST on / with the worker page and never logs or echoes the form', async () => {
    const res = await postForm('/?DOMAIN=example.bitrix24.com&AUTH_ID=query-secret', PORTAL_FORM);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await res.text();
    expect(text).toBe(WORKER_HTML);
    await running.logged(/ POST \/ 200 \d+B [\d.]+ms$/);
    expect(running.lines.join('\n')).not.toMatch(/secret|AUTH_ID|DOMAIN/);
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
    writeFileSync(join(running.dist, 'index.html'), big);
    await running.server.close();
    running.lines = [];
    running.server = await startServer(
      parseServerConfig({ PORT: '0', HOST: '127.0.0.1', DIST_DIR: running.dist, STATS: 'off' }),
      (l) => running.lines.push(l),
    );
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
      const req = request(
        url('/'),
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        (res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 20; i += 1) req.write(Buffer.alloc(8 * 1024, 'a'));
      req.end();
    });
    expect(status).toBe(413);
  });
});

describe('when the app page is not built', () => {
  const { url } = useDistServer({}, false);

  it('answers /app/ with a 404 that says so', async () => {
    const res = await fetch(url('/app/'));
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/app page is not built/);
  });
});
