// @vitest-environment node
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, rateKey } from '../../../../src/server/http/client-address.ts';

const request = (forwarded: string | undefined, socket = '127.0.0.1') =>
  ({
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    socket: { remoteAddress: socket },
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('ignores X-Forwarded-For unless the proxy is trusted', () => {
    expect(clientAddress(request('203.0.113.7'), false)).toBe('127.0.0.1');
  });

  it.each([
    ['198.51.100.1, 203.0.113.7', '203.0.113.7'],
    ['203.0.113.7:51234', '203.0.113.7'],
    ['2001:db8::7', '2001:db8::7'],
    ['[2001:DB8::7]', '2001:db8::7'],
    ['[2001:db8::7]:443', '2001:db8::7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7 ', '203.0.113.7'],
  ])('takes the last X-Forwarded-For entry %j behind a trusted proxy as %s', (forwarded, address) => {
    expect(clientAddress(request(forwarded), true)).toBe(address);
  });

  it.each([
    ['x'.repeat(16 * 1024)],
    ['203.0.113.7, not-an-address'],
    ['203.0.113.7 "forged" 200'],
    ['203.0.113.7.1'],
    ['fe80::1%eth0'],
    ['[2001:db8::7'],
    ['unknown'],
    [''],
  ])('falls back to the socket address for an entry that is not an IP address: %j', (forwarded) => {
    expect(clientAddress(request(forwarded, '10.0.0.2'), true)).toBe('10.0.0.2');
  });

  it('reports an IPv4 peer on a dual-stack socket as plain IPv4', () => {
    expect(clientAddress(request(undefined, '::ffff:198.51.100.4'), false)).toBe('198.51.100.4');
  });
});

describe('rateKey', () => {
  it('groups IPv6 addresses by their /64 and keeps IPv4 addresses apart', () => {
    expect(rateKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(rateKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(rateKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateKey('::1')).toBe('0:0:0:0::/64');
    expect(rateKey('198.51.100.7')).toBe('198.51.100.7');
  });
});
