// /healthz: on the main port, and alone on HEALTH_PORT.
import { describe, expect, it } from 'vitest';
import { startServer } from '../../../../src/server/http/server.ts';
import { parseServerConfig } from '../../../../src/server/config.ts';
import { useDistServer } from './dist-server.ts';

describe('health', () => {
  const running = useDistServer();

  it('reports health at /healthz without caching', async () => {
    const res = await fetch(running.url('/healthz'));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok', uptimeS: expect.any(Number) });
  });

  it('answers /healthz alone on HEALTH_PORT, with the security headers, and closes that port with the server', async () => {
    const { dist } = running;
    await running.server.close();
    running.server = await startServer(
      parseServerConfig({
        PORT: '0',
        HEALTH_PORT: '0',
        HOST: '127.0.0.1',
        DIST_DIR: dist,
        STATS: 'off',
        HSTS_MAX_AGE: '600',
      }),
      () => undefined,
    );
    const { server } = running;
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
    running.server = await startServer(
      parseServerConfig({ PORT: '0', HOST: '127.0.0.1', DIST_DIR: dist, STATS: 'off' }),
      () => undefined,
    );
    expect(running.server.healthPort).toBeNull();
  });
});
