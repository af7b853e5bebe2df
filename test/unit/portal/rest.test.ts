import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { callRest } from '../../../src/portal/rest.ts';

const SRC = resolve(import.meta.dirname, '../../../src');
/** Code that runs in the browser: the worker, the app page, the monitor and what they import. */
const BROWSER_DIRS = [
  'app',
  'config',
  'delivery',
  'hold',
  'i18n',
  'lib',
  'log',
  'monitor',
  'outputs',
  'portal',
  'storage',
  'worker',
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('fetches of the browser code', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("calls the portal's REST API without following a redirect", async () => {
    const fetch = vi.fn(async () => Response.json({ result: { ID: '7' } }));
    vi.stubGlobal('fetch', fetch);
    const answer = await callRest(
      'https://example.bitrix24.com',
      'user.current',
      {},
      () => ({ accessToken: 't', expiresAt: Date.now() + 60_000 }),
      async () => ({ accessToken: 't', expiresAt: 0 }),
    );
    expect(answer).toEqual({ ok: true, result: { ID: '7' } });
    expect(fetch).toHaveBeenCalledWith(
      'https://example.bitrix24.com/rest/user.current',
      expect.objectContaining({ redirect: 'error', credentials: 'omit' }),
    );
  });

  it('answers a redirect as a failure, never following it to another host', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        if (init.redirect === 'error') throw new TypeError('Failed to fetch');
        return Response.json({ result: 'from elsewhere' });
      }),
    );
    const answer = await callRest(
      'https://example.bitrix24.com',
      'user.current',
      {},
      () => ({ accessToken: 't', expiresAt: Date.now() + 60_000 }),
      async () => ({ accessToken: 't', expiresAt: 0 }),
    );
    expect(answer).toMatchObject({ ok: false, error: 'NETWORK_ERROR' });
  });

  it('never follows a redirect in any fetch the worker and the app page make (redirect: error, or manual where the answer is classified)', () => {
    const unguarded = sources(SRC)
      .filter((file) => BROWSER_DIRS.includes(relative(SRC, file).split('/')[0] ?? ''))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const calls = text.match(/\bfetch\(/g)?.length ?? 0;
        const guarded = text.match(/redirect: '(?:error|manual)'/g)?.length ?? 0;
        return calls > guarded
          ? [`${relative(SRC, file)}: ${calls} fetch call(s), ${guarded} with redirect: 'error' or 'manual'`]
          : [];
      });
    expect(unguarded).toEqual([]);
  });
});
