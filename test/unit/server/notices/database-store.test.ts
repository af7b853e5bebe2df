// @vitest-environment node
// With statistics on, /placement-error keeps the notices in the statistics database: a server started
// on the same data lists what another stored, within the same bounds. With DATABASE_URL, two servers
// run at once on one PostgreSQL (a database is created beside it and dropped).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../../src/server/http/server.ts';
import { parseServerConfig } from '../../../../src/server/config.ts';
import { freshPgliteDir } from '../../../support/pglite-template.ts';
import { useThrowawayDatabase } from '../../../support/throwaway-database.ts';
import { makeDist } from '../temp-dist.ts';

let dist: string;
beforeAll(() => {
  dist = makeDist();
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const config = (env: Record<string, string>) =>
  parseServerConfig({ PORT: '0', HOST: '127.0.0.1', DIST_DIR: dist, LOG_FORMAT: 'text', TRUST_PROXY: '1', ...env });

type Listed = { max: number; notices: { error: string; memberId: string | null }[] };

/** Posts a notice as the portal would, each from its own client address so no per-client limit applies. */
let client = 0;
const post = (base: string, body: string) =>
  fetch(new URL('/placement-error', base), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': `198.51.100.${(client = (client % 250) + 1)}`,
    },
    body,
  });
const listAll = async (base: string) =>
  ((await (await fetch(new URL('/placement-error', base))).json()) as Listed).notices.map((n) => n.error);
const listMember = async (base: string, memberId: string) =>
  (
    (await (
      await fetch(new URL(`/placement-error?member_id=${memberId}`, base), {
        headers: { 'x-forwarded-for': '203.0.113.9' },
      })
    ).json()) as Listed
  ).notices.map((n) => n.error);

describe('/placement-error with statistics on the embedded database', () => {
  let dataDir: string;
  const running: RunningServer[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const server = await startServer(
      config({ STATS: 'on', WARM_UP_MS: '0', DATA_DIR: dataDir, ...env }),
      () => undefined,
    );
    running.push(server);
    return server;
  };
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'relay-notices-'));
    await freshPgliteDir(dataDir);
  });
  afterEach(async () => {
    for (const server of running.splice(0)) await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists on a server started on the same data what an earlier one stored', async () => {
    const first = await start();
    expect(
      (await post(first.url, 'error=ERROR_PLACEMENT_LOADING_OVERTIME&member_id=m1&DOMAIN=acme.bitrix24.com')).status,
    ).toBe(200);
    expect((await post(first.url, 'error=ERROR_PLANTED&DOMAIN=acme.bitrix24.com')).status).toBe(200);
    await first.close();
    const second = await start();
    expect(await listAll(second.url)).toEqual(['ERROR_PLANTED', 'ERROR_PLACEMENT_LOADING_OVERTIME']);
    expect(await listMember(second.url, 'm1')).toEqual(['ERROR_PLACEMENT_LOADING_OVERTIME']);
  }, 60_000);

  it('keeps only the newest PLACEMENT_ERRORS_MAX notices, across servers too', async () => {
    const first = await start({ PLACEMENT_ERRORS_MAX: '3' });
    for (let i = 1; i <= 4; i += 1)
      expect((await post(first.url, `error=ERROR_${i}&member_id=m${i}`)).status).toBe(200);
    expect(await listAll(first.url)).toEqual(['ERROR_4', 'ERROR_3', 'ERROR_2']);
    await first.close();
    const second = await start({ PLACEMENT_ERRORS_MAX: '3' });
    for (let i = 5; i <= 6; i += 1)
      expect((await post(second.url, `error=ERROR_${i}&member_id=m${i}`)).status).toBe(200);
    expect(await listAll(second.url)).toEqual(['ERROR_6', 'ERROR_5', 'ERROR_4']);
  }, 60_000);
});

const url = process.env.DATABASE_URL;
if (url) {
  describe('two servers on one PostgreSQL', () => {
    const database = useThrowawayDatabase(url, 'hold_relay_notices');

    it("list each other's notices, and keep PLACEMENT_ERRORS_MAX between them", async () => {
      const start = () =>
        startServer(
          config({ STATS: 'on', WARM_UP_MS: '0', DATABASE_URL: database.url, PLACEMENT_ERRORS_MAX: '5' }),
          () => undefined,
        );
      const [a, b] = [await start(), await start()];
      try {
        expect((await post(a.url, 'error=ERROR_FROM_A&member_id=m1')).status).toBe(200);
        expect((await post(b.url, 'error=ERROR_FROM_B&member_id=m2')).status).toBe(200);
        expect(await listMember(b.url, 'm1')).toEqual(['ERROR_FROM_A']);
        expect(await listAll(a.url)).toEqual(['ERROR_FROM_B', 'ERROR_FROM_A']);
        // Every other notice to the other server, all at once, as a load balancer would send them.
        const sent = await Promise.all(
          Array.from({ length: 16 }, (_, i) => post(i % 2 ? b.url : a.url, `error=ERROR_${i}&member_id=p${i % 4}`)),
        );
        expect(sent.map((res) => res.status)).toEqual(sent.map(() => 200));
        const [fromA, fromB] = [await listAll(a.url), await listAll(b.url)];
        expect(fromA).toHaveLength(5);
        expect(fromB).toEqual(fromA);
      } finally {
        await a.close();
        await b.close();
      }
    }, 60_000);
  });
} else {
  describe('two servers on one PostgreSQL', () => {
    it.skip('needs DATABASE_URL=postgres://... (a database is created beside it and dropped); .ci/run starts one', () =>
      undefined);
  });
}
