// @vitest-environment node
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../../src/contract/answers.ts';
import { outcomeOf, REFUSED_TRIES } from '../../../../src/server/webhooks/dispatcher.ts';
import {
  isPrivateAddress,
  receiverUrlProblem,
  refusedLiteralHost,
} from '../../../../src/server/webhooks/receiver-url.ts';
import { generateSecret, webhookHeaders } from '../../../../src/server/webhooks/secret.ts';
import { sendWebhook, type SendResult } from '../../../../src/server/webhooks/send.ts';

describe('signatures', () => {
  it('makes secrets a Standard Webhooks library accepts, and one v1 signature per secret', () => {
    const current = generateSecret();
    const previous = generateSecret();
    expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = '{"id":"evt_1","type":"hold.started"}';
    const headers = webhookHeaders([current, previous], 'evt_1', body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous])
      expect(new Webhook(secret).verify(body, headers)).toEqual({ id: 'evt_1', type: 'hold.started' });
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
  });
});

describe('receiver addresses', () => {
  it("takes the worker's rule: https, plain http only for this machine, no credentials", () => {
    expect(receiverUrlProblem('https://pbx.example.com/hook')).toBeNull();
    expect(receiverUrlProblem('http://localhost:3000/hook')).toBeNull();
    expect(receiverUrlProblem('http://pbx.example.com/hook')).toMatch(/https/);
    expect(receiverUrlProblem('https://user:pw@pbx.example.com/')).toMatch(/password/);
    expect(receiverUrlProblem('not a url')).toMatch(/URL/);
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
  ])('calls %s private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '2002:a00:1::',
    '2002:808:808::1',
    '64:ff9b:1::a00:1',
    '64:ff9b:1:ffff::1',
    '::a00:1',
    '::8.8.8.8',
    'fec0::1',
    'feff::1',
    '64:ff9b::a00:1',
  ])(
    'calls %s private: an IPv6 address that carries an IPv4 one (6to4, NAT64, IPv4-compatible) or a site-local one',
    (ip) => {
      expect(isPrivateAddress(ip)).toBe(true);
      expect(refusedLiteralHost(new URL(`https://[${ip}]/hook`), false)).toMatch(/private/);
      expect(refusedLiteralHost(new URL(`https://[${ip}]/hook`), true)).toBeNull();
    },
  );

  it.each(['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '2003::1', '64:ff9b:2::1', '2001:db9::1'])(
    'calls %s public',
    (ip) => {
      expect(isPrivateAddress(ip)).toBe(false);
    },
  );

  it('refuses a literal private address unless allowed, and leaves names to the lookup', () => {
    expect(refusedLiteralHost(new URL('http://127.0.0.1:9/'), false)).toMatch(/WEBHOOKS_ALLOW_PRIVATE/);
    expect(refusedLiteralHost(new URL('https://[::1]/'), false)).toMatch(/private/);
    expect(refusedLiteralHost(new URL('http://127.0.0.1:9/'), true)).toBeNull();
    expect(refusedLiteralHost(new URL('https://pbx.example.com/'), false)).toBeNull();
  });

  it('never connects to a name that resolves to a private address', async () => {
    const result = await sendWebhook({
      url: 'http://localhost:9/hook',
      headers: {},
      body: '{}',
      timeoutMs: 2000,
      allowPrivate: false,
    });
    expect(result).toMatchObject({
      kind: 'refused',
      status: null,
      error: expect.stringMatching(/localhost resolves to .*private or loopback/),
    });
  });
});

describe('what an answer means', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [410, 'gone'],
    [500, 'retry'],
    [503, 'retry'],
    [429, 'retry'],
    [408, 'retry'],
    [400, 'refused'],
    [401, 'refused'],
    [404, 'refused'],
    [422, 'refused'],
  ] as const)('HTTP %i: %s', (status, kind) => {
    expect(decide(status)).toBe(kind);
  });

  const result = (kind: SendResult['kind'], retryAfterMs: number | null = null): SendResult => ({
    kind,
    status: 0,
    error: 'x',
    answer: null,
    retryAfterMs,
    durationMs: 1,
  });

  it('retries a failure with growing pauses and honours Retry-After', () => {
    expect(outcomeOf(result('retry'), 1, () => 1)).toMatchObject({ status: 'pending', retryInMs: 1000 });
    expect(outcomeOf(result('retry'), 4, () => 1)).toMatchObject({ status: 'pending', retryInMs: 8000 });
    expect(outcomeOf(result('retry', 30_000), 1, () => 1)).toMatchObject({ status: 'pending', retryInMs: 30_000 });
  });

  it('gives a refusal up after a few quick tries', () => {
    expect(outcomeOf(result('refused'), REFUSED_TRIES - 1, () => 1).status).toBe('pending');
    expect(outcomeOf(result('refused'), REFUSED_TRIES, () => 1).status).toBe('failed');
  });
});
