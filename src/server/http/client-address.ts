// Who sent a request: the socket's peer, or behind a proxy of our own the address that proxy
// appended to X-Forwarded-For. Only a well-formed IP address is ever taken from the header, so
// the result is safe as a rate-limit key and in a log line.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Longer than any IP address with brackets and a port: anything beyond is not one. */
const MAX_ENTRY_CHARS = 64;

/**
 * The plain form of an IP address given as `203.0.113.7`, `203.0.113.7:1234`, `2001:db8::7`,
 * `[2001:db8::7]` or `[2001:db8::7]:443`; IPv4-mapped IPv6 becomes IPv4. Null for anything else
 * (zone ids included: they are free text).
 */
export function parseIp(raw: string): string | null {
  const entry = raw.trim();
  if (entry.length === 0 || entry.length > MAX_ENTRY_CHARS) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  const address = (bracketed?.[1] ?? withPort?.[1] ?? entry).toLowerCase();
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6 || address.includes('%')) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  return mapped?.[1] ?? address;
}

/** The socket's peer, or with trustProxy the last X-Forwarded-For entry when it is an IP address. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const socket = req.socket.remoteAddress;
  const peer = (socket === undefined ? null : parseIp(socket)) ?? 'unknown';
  const forwarded = req.headers['x-forwarded-for'];
  if (!trustProxy || typeof forwarded !== 'string') return peer;
  return parseIp(forwarded.slice(forwarded.lastIndexOf(',') + 1)) ?? peer;
}

/** Whether the request came from this machine itself. */
export function isLoopback(address: string | undefined): boolean {
  return address === '::1' || address === '127.0.0.1' || address === '::ffff:127.0.0.1';
}

/**
 * The key a client is rate-limited by: an IPv4 address itself, an IPv6 address by its /64, the
 * smallest block one subscriber usually gets (so rotating addresses within it does not help).
 */
export function rateKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
