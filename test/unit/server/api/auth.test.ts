// @vitest-environment node
// Who a request speaks for: only allowed portals are ever asked, and only about the bearer token.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStatsStack } from '../../../support/use-stats-stack.ts';

const stack = useStatsStack();
let bystander: Server;
let bystanderHits = 0;

beforeAll(async () => {
  bystander = createServer((_req, res) => {
    bystanderHits++;
    res.end('{"result":{"ID":"1"}}');
  });
  await new Promise<void>((done) => bystander.listen(0, '127.0.0.1', done));
}, 120_000);
afterAll(() => {
  bystander?.close();
});

const userCurrentCalls = () => stack.simulator.rest.calls.filter((call) => call.method === 'user.current');
const adminCalls = () => stack.simulator.rest.calls.filter((call) => call.method === 'user.admin');

describe('token verification', () => {
  it('refuses a forged token with 401 after the portal rejects it', async () => {
    const before = userCurrentCalls().length;
    const res = await stack.api('/api/report/holds', { token: 'forged-token-0123456789' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: expect.stringContaining('invalid_token') });
    expect(userCurrentCalls().slice(before)).toMatchObject([{ status: 401, error: 'invalid_token' }]);
  });

  it('refuses a request without a bearer token with 401 and asks nobody', async () => {
    const before = stack.simulator.rest.calls.length;
    expect((await stack.api('/api/report', { token: null })).status).toBe(401);
    expect(stack.simulator.rest.calls.length).toBe(before);
  });

  it('refuses a portal that is not allowed with 403 and sends no request anywhere', async () => {
    const before = stack.simulator.rest.calls.length;
    const bystanderHost = `127.0.0.1:${(bystander.address() as { port: number }).port}`;
    for (const domain of [
      bystanderHost,
      'evil.example.com',
      'acme.bitrix24.com',
      `${stack.domain}.evil.com`,
      'localhost',
      '',
    ]) {
      const res = await stack.api('/api/events', { domain, token: stack.tokenFor(7), body: { events: [] } });
      expect(res.status, domain).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
    }
    expect(bystanderHits).toBe(0);
    expect(stack.simulator.rest.calls.length).toBe(before);
  });

  it('asks the portal once per token and reuses the answer', async () => {
    const token = stack.tokenFor(8);
    const before = userCurrentCalls().length;
    const answers = await Promise.all([1, 2, 3].map(() => stack.api('/api/report/holds', { token })));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await stack.api('/api/report/holds', { token })).status).toBe(200);
    expect(userCurrentCalls().length - before).toBe(1);
  });

  it('gives a non-admin 403 on the report and asks user.admin about them', async () => {
    const token = stack.tokenFor(7);
    const before = adminCalls().length;
    const res = await stack.api('/api/report', { token });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'only a portal administrator may read the statistics' });
    expect(adminCalls().slice(before)).toMatchObject([{ userId: 7, status: 200 }]);
    expect((await stack.api('/api/report/live', { token })).status).toBe(403);
    expect((await stack.api('/api/report/data', { token, method: 'DELETE' })).status).toBe(403);
  });

  it('answers 429 with Retry-After when one client tries too many new tokens', async () => {
    let res: Response | undefined;
    for (let i = 0; i < 80; i++) {
      res = await stack.api('/api/report/holds', { token: `guess-${i}-0123456789` });
      if (res.status === 429) break;
    }
    expect(res?.status).toBe(429);
    expect(Number(res?.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('puts the security headers on API answers too', async () => {
    const res = await stack.api('/api/status');
    expect(await res.json()).toEqual({ stats: true, credentials: false });
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
