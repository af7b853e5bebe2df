// @vitest-environment node
// A notice store that fails (the database down) never loses the portal's notice silently: the POST
// is answered 503 with Retry-After, so the portal may send it again, the log says what was not kept
// and why, and the client never sees the error itself.
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '../../../../src/server/http/server.ts';
import { parseServerConfig } from '../../../../src/server/config.ts';
import type { NoticeStore } from '../../../../src/server/notices/memory-store.ts';
import { makeDist } from '../temp-dist.ts';

let dist: string;
beforeAll(() => {
  dist = makeDist();
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const post = (base: string, body: string) =>
  fetch(new URL('/placement-error', base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

describe('/placement-error when the notice store fails', () => {
  let lines: string[];
  let base: string;
  let server: ReturnType<typeof createServer>;
  const down = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
  const failing: NoticeStore = { add: down, list: down, listAll: down };
  beforeEach(async () => {
    lines = [];
    server = createServer(
      parseServerConfig({ PORT: '0', HOST: '127.0.0.1', DIST_DIR: dist, LOG_FORMAT: 'text', STATS: 'off' }),
      (line) => lines.push(line),
      undefined,
      undefined,
      failing,
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("answers the portal's POST with 503 and Retry-After, and logs the notice and why it was not kept", async () => {
    const res = await post(base, 'error=ERROR_PLACEMENT_LOADING_OVERTIME&member_id=m1&DOMAIN=acme.bitrix24.com');
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const text = await res.text();
    expect(text).toBe('The notice could not be stored now. Send it again later.\n');
    expect(lines.filter((l) => l.includes('WARN'))).toEqual([
      expect.stringContaining('"ERROR_PLACEMENT_LOADING_OVERTIME" from portal "acme.bitrix24.com"'),
    ]);
    expect(lines.filter((l) => /Z ERROR /.test(l))).toEqual([
      expect.stringContaining(
        'placement-error: the notice "ERROR_PLACEMENT_LOADING_OVERTIME" filed under "member:m1" was not stored (answered 503, so the portal may send it again): connect ECONNREFUSED 10.0.0.5:5432',
      ),
    ]);
  });

  it.each([
    ['', 'the whole list'],
    ['?member_id=m1', "one portal's list"],
  ])('answers a GET of %j (%s) with 503 and a clear message, not the error', async (query) => {
    const res = await fetch(new URL(`/placement-error${query}`, base));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const text = await res.text();
    expect(text).toBe(
      'The placement-error notices cannot be read now: their database is not available. Retry later.\n',
    );
    expect(lines.filter((l) => /Z ERROR /.test(l))).toEqual([
      expect.stringContaining('placement-error: the notices could not be read: connect ECONNREFUSED'),
    ]);
  });
});
