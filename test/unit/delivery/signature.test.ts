import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { createSigner, decodeSecret } from '../../../src/delivery/signature.ts';

const SECRET = 'whsec_aG9sZC1yZWxheS1leGFtcGxlLXNlY3JldC0yNGI=';

describe('webhook signatures', () => {
  it('signs so that a Standard Webhooks library verifies the request', async () => {
    const decoded = decodeSecret(SECRET);
    if (!decoded.ok) throw new Error(decoded.reason);
    const sign = await createSigner(decoded.key);
    const body = JSON.stringify({ type: 'hold.started', data: { held: true, note: 'ünïcode ✓' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await sign('evt_1', timestamp, body);
    const verified = new Webhook(SECRET).verify(body, {
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    });
    expect(verified).toEqual(JSON.parse(body));
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('gives a different signature for another body, id or timestamp', async () => {
    const decoded = decodeSecret(SECRET);
    if (!decoded.ok) throw new Error(decoded.reason);
    const sign = await createSigner(decoded.key);
    const base = await sign('a', 1, 'x');
    expect(new Set([base, await sign('b', 1, 'x'), await sign('a', 2, 'x'), await sign('a', 1, 'y')]).size).toBe(4);
  });

  it.each([
    ['no prefix', 'aG9sZC1yZWxheS1leGFtcGxlLXNlY3JldC0yNGI=', 'must start with "whsec_"'],
    ['not base64', 'whsec_not base64!', 'must be "whsec_" followed by base64'],
    ['too short', `whsec_${btoa('short key')}`, 'must hold at least 24 bytes (has 9)'],
  ])('refuses a secret with %s', (_name, secret, reason) => {
    expect(decodeSecret(secret)).toEqual({ ok: false, reason });
  });
});
