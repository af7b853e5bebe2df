// Origins named in the environment, which end up in the Content-Security-Policy: each must be a bare
// http(s) origin of a plain host name (or an IP literal), so nothing else can slip into the policy,
// and a wildcard may only cover the subdomains of one registrable domain, never a public suffix.
import { isIP } from 'node:net';
import { getDomain } from 'tldts';

const HOST_LABELS = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const ORIGIN = /^(https?):\/\/(\*\.)?([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?\/?$/i;

/**
 * Normalises one origin: `HTTPS://Portal.Example.com:443/` -> `https://portal.example.com`, keeping a
 * leading `*.`. Null for anything else: paths, queries, credentials, characters outside letters,
 * digits, hyphens and dots, a wildcard over an IP address or a public suffix (`*.co.uk`, `*.github.io`).
 */
export function parseOrigin(raw: string): string | null {
  const match = ORIGIN.exec(raw);
  if (!match) return null;
  const [, scheme = '', wildcard = '', host = '', port = ''] = match;
  const bareHost = host.toLowerCase().replace(/^\[|\]$/g, '');
  const ip = isIP(bareHost) !== 0;
  if (!ip && !HOST_LABELS.test(bareHost)) return null;
  if (wildcard && (ip || getDomain(bareHost, { allowPrivateDomains: true }) === null)) return null;
  let url: URL;
  try {
    url = new URL(`${scheme}://${host}${port}`);
  } catch {
    return null;
  }
  return wildcard ? url.origin.replace('://', '://*.') : url.origin;
}

/** A list of origins separated by commas or spaces, without duplicates; every bad entry is named. */
export function parseOriginList(raw: string): { origins: string[]; problems: string[] } {
  const origins: string[] = [];
  const problems: string[] = [];
  for (const item of raw.split(/[\s,]+/).filter(Boolean)) {
    const origin = parseOrigin(item);
    if (origin === null) {
      problems.push(
        `${JSON.stringify(item)} is not an origin: expected http(s)://host[:port] of letters, digits, hyphens and dots, without a path; a wildcard only as a leading "*." below a registrable domain (https://*.bitrix24.de, not https://*.co.uk)`,
      );
    } else if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins, problems };
}
