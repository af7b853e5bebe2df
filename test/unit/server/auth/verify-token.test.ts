// @vitest-environment node
// The verifier against small real portals on loopback: odd answers, redirects, silence.
import { createServer, type RequestListener, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../../src/server/auth/verify-token.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function portal(handler: RequestListener): Promise<{ domain: string; origin: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const domain = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return { domain, origin: `http://${domain}`, hits };
}

const TOKEN = 'Bearer 0123456789abcdef';

describe('createTokenVerifier', () => {
  it('takes the user id from user.current and asks once for many requests', async () => {
    const p = await portal((_req, res) => res.end('{"result":{"ID":"42"},"time":{}}'));
    const verifier = createTokenVerifier({ portalOrigins: [p.origin] });
    const verdicts = await Promise.all([1, 2, 3].map(() => verifier.identify(p.domain, TOKEN, 'c')));
    expect(verdicts.map((v) => v.ok && v.value.userId)).toEqual([42, 42, 42]);
    expect(p.hits).toEqual(['POST /rest/user.current']);
  });

  it('asks again once the cached answer is older than its time to live', async () => {
    let now = 1_000_000;
    const p = await portal((_req, res) => res.end('{"result":{"ID":"42"}}'));
    const verifier = createTokenVerifier({ portalOrigins: [p.origin], ttlMs: 1000, now: () => now });
    await verifier.identify(p.domain, TOKEN, 'c');
    now += 1001;
    await verifier.identify(p.domain, TOKEN, 'c');
    expect(p.hits).toHaveLength(2);
  });

  it('answers 401 when the portal refuses the token', async () => {
    const p = await portal((_req, res) =>
      res.writeHead(401).end('{"error":"expired_token","error_description":"expired"}'),
    );
    const verdict = await createTokenVerifier({ portalOrigins: [p.origin] }).identify(p.domain, TOKEN, 'c');
    expect(verdict).toMatchObject({ ok: false, status: 401, error: expect.stringContaining('expired_token') });
  });

  it('follows no redirect: a portal answering 302 gets 502 and the target is never asked', async () => {
    const target = await portal((_req, res) => res.end('{"result":{"ID":"1"}}'));
    const p = await portal((_req, res) => res.writeHead(302, { location: `${target.origin}/rest/user.current` }).end());
    const verdict = await createTokenVerifier({ portalOrigins: [p.origin, target.origin] }).identify(
      p.domain,
      TOKEN,
      'c',
    );
    expect(verdict).toMatchObject({ ok: false, status: 502 });
    expect(target.hits).toEqual([]);
  });

  it("answers 502 for an answer that is not a portal's, and does not keep it", async () => {
    const p = await portal((_req, res) => res.end('<html>maintenance</html>'));
    const verifier = createTokenVerifier({ portalOrigins: [p.origin] });
    expect(await verifier.identify(p.domain, TOKEN, 'c')).toMatchObject({ ok: false, status: 502 });
    await expect.poll(async () => (await verifier.identify(p.domain, TOKEN, 'c'), p.hits.length)).toBeGreaterThan(1);
  });

  it('answers 503 with Retry-After when the portal does not answer', async () => {
    const p = await portal(() => undefined);
    servers.pop()?.close();
    const verdict = await createTokenVerifier({ portalOrigins: [p.origin] }).identify(p.domain, TOKEN, 'c');
    expect(verdict).toMatchObject({ ok: false, status: 503, retryAfterS: 5 });
  });

  it('asks user.admin for admin rights, once per token', async () => {
    const p = await portal((req, res) =>
      res.end(req.url === '/rest/user.admin' ? '{"result":true}' : '{"result":{"ID":"1"}}'),
    );
    const verifier = createTokenVerifier({ portalOrigins: [p.origin] });
    const who = await verifier.identify(p.domain, TOKEN, 'c');
    if (!who.ok) throw new Error(who.error);
    expect(await verifier.isAdmin(who.value)).toEqual({ ok: true, value: true });
    expect(await verifier.isAdmin(who.value)).toEqual({ ok: true, value: true });
    expect(p.hits).toEqual(['POST /rest/user.current', 'POST /rest/user.admin']);
  });
});
