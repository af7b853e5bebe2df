// @vitest-environment node
// Links in the built site must not serve files from elsewhere on the machine.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/server/http/server.ts';
import { parseServerConfig } from '../../../src/server/config.ts';
import { APP_HTML, makeDist } from './temp-dist.ts';

const SECRET = 'secret outside dist';
let dist = '';
let outside = '';
let server: RunningServer | null = null;

async function start(distDir = dist): Promise<void> {
  server = await startServer(
    parseServerConfig({ PORT: '0', HOST: '127.0.0.1', DIST_DIR: distDir, LOG_FORMAT: 'none', STATS: 'off' }),
  );
}
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(new URL(path, server?.url), { headers });
  return { status: res.status, text: await res.text() };
};

beforeEach(() => {
  dist = makeDist();
  outside = mkdtempSync(join(tmpdir(), 'relay-outside-'));
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  writeFileSync(join(outside, 'index.html'), SECRET);
});

afterEach(async () => {
  await server?.close();
  server = null;
  for (const dir of [dist, outside]) rmSync(dir, { recursive: true, force: true });
});

describe('links in dist', () => {
  it('answers 404 for a linked file whose target is outside dist', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(dist, 'assets', 'leak.txt'));
    await start();
    expect(await get('/assets/leak.txt')).toEqual({ status: 404, text: 'Not found.\n' });
  });

  it('answers 404 for files under a linked directory outside dist', async () => {
    symlinkSync(outside, join(dist, 'linked'));
    await start();
    for (const path of ['/linked/secret.txt', '/linked/', '/linked'])
      expect((await get(path)).text).not.toContain(SECRET);
  });

  it('never sends a compressed copy that links outside dist', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(dist, 'assets', 'x-abc123.js.br'));
    await start();
    const res = await get('/assets/x-abc123.js', { 'accept-encoding': 'br' });
    expect(res.text).not.toContain(SECRET);
  });

  it('answers 404 for an app page that links outside dist', async () => {
    rmSync(join(dist, 'app', 'index.html'));
    symlinkSync(join(outside, 'index.html'), join(dist, 'app', 'index.html'));
    await start();
    expect((await get('/app/')).status).toBe(404);
    expect((await get('/app/')).text).not.toContain(SECRET);
  });

  it('refuses to start when the worker page links outside dist', async () => {
    rmSync(join(dist, 'index.html'));
    symlinkSync(join(outside, 'index.html'), join(dist, 'index.html'));
    await expect(start()).rejects.toThrow(/index\.html.*outside/);
  });

  it('still serves links that stay inside dist, a linked dist itself and directory pages', async () => {
    symlinkSync(join(dist, 'assets', 'x-abc123.js'), join(dist, 'assets', 'alias.js'));
    mkdirSync(join(dist, 'monitor'));
    writeFileSync(join(dist, 'monitor', 'index.html'), '<title>monitor</title>');
    const linkedDist = join(outside, 'current');
    symlinkSync(dist, linkedDist);
    await start(linkedDist);
    expect((await get('/assets/alias.js')).status).toBe(200);
    expect(await get('/app/')).toEqual({ status: 200, text: APP_HTML });
    expect((await get('/monitor/')).text).toBe('<title>monitor</title>');
    expect((await get('/monitor')).text).toBe('<title>monitor</title>');
  });
});
