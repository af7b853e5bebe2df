// Which receivers the server may call. The address is chosen by a portal admin, not by us, so the
// server refuses private, loopback and link-local addresses (its own network) unless the operator
// of the server allows them (WEBHOOKS_ALLOW_PRIVATE=1), and checks every address a name resolves
// to at connect time, so a name cannot point elsewhere between the check and the request.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** The worker's own rule for its webhook output: https, plain http only for this machine. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
export const MAX_URL_LENGTH = 2000;

export function receiverUrlProblem(value: string): string | null {
  if (value.length > MAX_URL_LENGTH || !URL.canParse(value)) return 'must be a URL';
  const url = new URL(value);
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) return null;
  return 'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])';
}

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
// Besides loopback, unique-local, link-local and multicast: the ranges that carry an IPv4 address
// inside (IPv4-compatible ::/96, NAT64 64:ff9b::/96 and its local-use 64:ff9b:1::/48, 6to4 2002::/16),
// which a relay or translator on the way may turn into a private IPv4 one, and the deprecated
// site-local fec0::/10, still routed inside some networks.
for (const [net, prefix] of [
  ['::', 96],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is on a private, loopback, link-local or otherwise non-public network. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1]) return PRIVATE.check(mapped[1], 'ipv4');
  const family = isIP(bare);
  if (family === 0) return true;
  return PRIVATE.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

export class PrivateAddressError extends Error {}

/** A literal IP host that is refused; names are checked when they resolve (see guardedLookup). */
export function refusedLiteralHost(url: URL, allowPrivate: boolean): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (allowPrivate || isIP(host) === 0) return null;
  return isPrivateAddress(host)
    ? `${url.hostname} is a private or loopback address (WEBHOOKS_ALLOW_PRIVATE=1 allows it)`
    : null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that fails when a name resolves to a refused address. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused)
        return callback(
          new PrivateAddressError(`${hostname} resolves to ${refused.address}, a private or loopback address`),
          [],
        );
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
