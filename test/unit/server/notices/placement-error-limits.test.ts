// /placement-error under a flood: per address (a whole IPv6 /64 as one), per portal named, and behind
// a trusted proxy by the client it names.
import { describe, expect, it } from 'vitest';
import {
  NOTICES_PER_ADDRESS_PER_MINUTE,
  NOTICES_PER_PORTAL_PER_MINUTE,
} from '../../../../src/server/notices/routes.ts';
import { NOTICE, useDistServer } from '../http/dist-server.ts';

describe('/placement-error limits', () => {
  const { url, postForm, restart } = useDistServer({ PLACEMENT_ERRORS_MAX: '3' });

  it('limits each client behind a trusted proxy on its own, by the last X-Forwarded-For entry', async () => {
    await restart({ TRUST_PROXY: '1' });
    const from = (client: string) =>
      fetch(url('/placement-error'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.51.100.7, ${client}` },
        body: 'junk=1',
      });
    for (let i = 0; i < NOTICES_PER_ADDRESS_PER_MINUTE; i += 1) expect((await from('203.0.113.1')).status).toBe(400);
    expect((await from('203.0.113.1')).status).toBe(429);
    expect((await from('203.0.113.2')).status).toBe(400);
  });

  it('limits a whole IPv6 /64 behind a trusted proxy as one client, so rotating addresses does not help', async () => {
    await restart({ TRUST_PROXY: '1' });
    const from = (client: string) =>
      fetch(url('/placement-error'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
        body: 'junk=1',
      });
    for (let i = 0; i < NOTICES_PER_ADDRESS_PER_MINUTE; i += 1)
      expect((await from(`2001:db8:1:2::${(i + 1).toString(16)}`)).status).toBe(400);
    expect((await from('2001:db8:1:2:ffff:ffff:ffff:ffff')).status).toBe(429);
    expect((await from('2001:db8:1:3::1')).status).toBe(400);
  });

  it('limits the notices naming one portal, whoever sends them, and not the others', async () => {
    await restart({ TRUST_PROXY: '1' });
    const notice = (memberId: string, client: string) =>
      fetch(url('/placement-error'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
        body: `error=ERROR_X&member_id=${memberId}`,
      });
    for (let i = 0; i < NOTICES_PER_PORTAL_PER_MINUTE; i += 1)
      expect((await notice('m1', `198.51.100.${i + 1}`)).status).toBe(200);
    expect((await notice('m1', '198.51.100.200')).status).toBe(429);
    expect((await notice('m2', '198.51.100.201')).status).toBe(200);
  });

  it('answers 429 with Retry-After once one address sends too many', async () => {
    for (let i = 0; i < NOTICES_PER_ADDRESS_PER_MINUTE; i += 1)
      expect((await postForm('/placement-error', 'junk=1')).status).toBe(400);
    const res = await postForm('/placement-error', NOTICE);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
