// Which origin the server may call for the portal a request names. Only an entry of the allowed
// list (PORTAL_ORIGINS, or the Bitrix24 cloud zones when it is unset) ever yields one: no request
// can make the server fetch any other host.

const DOMAIN =
  /^(?=.{1,253}(?::|$))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;
/** One DNS label: a wildcard entry stands for exactly one, as portal names are. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Normalises `X-Portal-Domain` (the DOMAIN of getInitData, host[:port]); null when it is not one. */
export function parsePortalDomain(raw: string | undefined | null): string | null {
  const domain = raw?.trim().toLowerCase() ?? '';
  if (!DOMAIN.test(domain)) return null;
  const port = domain.split(':')[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return null;
  return domain;
}

/**
 * The origin to call for `domain` (`https://acme.bitrix24.com`), from the allowed origins in
 * `frame-ancestors` form (`https://portal.example.com`, `http://127.0.0.1:8090`, `https://*.bitrix24.de`),
 * or null when none allows it.
 */
export function allowedOrigin(domain: string, allowed: readonly string[]): string | null {
  for (const entry of allowed) {
    const match = /^(https?):\/\/(\*\.)?(.+)$/.exec(entry);
    if (!match) continue;
    const [, scheme, wildcard, rest = ''] = match;
    const host = new URL(`${scheme}://${rest}`).host; // drops a default port, as DOMAIN does
    if (!wildcard) {
      if (host === domain) return `${scheme}://${domain}`;
      continue;
    }
    if (!domain.endsWith(`.${host}`)) continue;
    const label = domain.slice(0, -host.length - 1);
    if (LABEL.test(label)) return `${scheme}://${domain}`;
  }
  return null;
}
