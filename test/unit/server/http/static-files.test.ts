// Static files: how long they are cached, the security headers on every answer, and what is not there.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDistServer } from './dist-server.ts';

describe('static files and headers', () => {
  const { url, postForm } = useDistServer();

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
});

describe('files removed under a running server', () => {
  const running = useDistServer();

  it('answers 404 for an asset deleted since start (a rebuild in place) and keeps serving', async () => {
    rmSync(join(running.dist, 'assets', 'x-abc123.js'));
    expect((await fetch(running.url('/assets/x-abc123.js'))).status).toBe(404);
    expect((await fetch(running.url('/healthz'))).status).toBe(200);
  });
});
