// Headers sent with every response. The pages are framed cross-origin by the portal, so framing is
// governed by CSP `frame-ancestors` alone: no X-Frame-Options, no COEP/COOP that would break it.

/**
 * The Content-Security-Policy for the given portal origins. Scripts and styles come only from this
 * origin (the build emits no inline code); `connect-src` lets the worker reach portals' REST API and
 * webhook receivers (https anywhere, plain http only on this machine). CSP has no syntax for IPv6
 * literals, so a receiver on http://[::1] is blocked here: use http://localhost for a local one.
 */
export function contentSecurityPolicy(portalOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // Operators' photos come from the portal (its own host or its CDN), on the report page.
    "img-src 'self' data: https: http://localhost:* http://127.0.0.1:*",
    "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors 'self' ${portalOrigins.join(' ')}`.trimEnd(),
  ].join('; ');
}

/** Name/value pairs to set on every response, computed once per server. */
export function securityHeaders(portalOrigins: readonly string[]): [string, string][] {
  return [
    ['Content-Security-Policy', contentSecurityPolicy(portalOrigins)],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'],
  ];
}
