// @vitest-environment node
// Statistics switched off, and a database that fails: clear answers, nothing half-done.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { answerError } from '../../../../src/server/http/site.ts';
import { createApi } from '../../../../src/server/http/api.ts';
import { openStatistics } from '../../../../src/server/holds/service.ts';
import { OPERATOR } from '../../../../src/simulator/rest-portal.ts';
import { holdEvents } from '../../../support/hold-events.ts';
import { freshPgliteDir } from '../../../support/pglite-template.ts';
import { startStack, type Stack } from '../../../support/stack.ts';

let stack: Stack;
let scratch: string;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'relay-availability-'));
  stack = await startStack({ env: { STATS: 'off', DATA_DIR: join(scratch, 'never') } });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('STATS=off', () => {
  it('says so on /api/status, answers 404 on every other API path, and opens no database', async () => {
    const status = await fetch(new URL('/api/status', stack.appUrl));
    expect(await status.json()).toEqual({ stats: false, credentials: false });
    for (const path of ['/api/events', '/api/report', '/api/report/live']) {
      const res = await fetch(new URL(path, stack.appUrl), { method: path === '/api/events' ? 'POST' : 'GET' });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'statistics are off' });
    }
    expect(existsSync(join(scratch, 'never'))).toBe(false);
  });
});

describe('a database that fails', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const dataDir = join(scratch, 'db');
    await freshPgliteDir(dataDir);
    const stats = await openStatistics(
      { databaseUrl: null, dataDir, retentionDays: 180, warmUpMs: 0 },
      () => undefined,
    );
    await stats.db.close();
    const api = createApi({
      stats,
      portalOrigins: [stack.simulator.origin],
      clientOf: () => 'test',
      warn: () => undefined,
    });
    const listener = getRequestListener(
      new Hono().route('/api', api.routes as unknown as Hono).onError(answerError(() => undefined)).fetch,
      { overrideGlobalObjects: false },
    );
    server = createServer((req, res) => void listener(req, res));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }, 120_000);
  afterAll(() => server?.close());

  it('answers 503 with Retry-After, so the worker keeps the events and retries', async () => {
    const token = stack.simulator.rest.grant(OPERATOR).AUTH_ID;
    const res = await fetch(`${url}/api/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'x-portal-domain': new URL(stack.simulator.origin).host,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        events: holdEvents({ callId: 'c', start: new Date().toISOString(), heldMs: 0 }).slice(0, 1),
      }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ error: 'the statistics database is not available; retry later' });
  });
});
