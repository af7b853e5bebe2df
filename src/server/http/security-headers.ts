// Headers sent with every response. The pages are framed cross-origin by the portal, so framing is
// governed by CSP `frame-ancestors` alone: no X-Frame-Options, no COEP.

export interface HeaderSettings {
  /** Origins that may frame the pages; the worker also calls their REST API. */
  portalOrigins: readonly string[];
  /** Webhook receivers the server's operator allows the pages to reach. */
  receiverOrigins?: readonly string[];
  /** Also allow plain-http receivers on this machine (development and tests). */
  devOrigins?: boolean;
  /** Strict-Transport-Security max-age in seconds; 0 or absent sends none. */
  hstsMaxAge?: number;
}

/** CSP has no syntax for IPv6 literals, so a local receiver must be named http://localhost. */
const LOCAL_HTTP = ['http://localhost:*', 'http://127.0.0.1:*'];

/**
 * The Content-Security-Policy. Scripts and styles come only from this origin, plus the inline scripts
 * whose hashes a page's build recorded (`scriptHashes`, for that page only). `connect-src` names every place a page may send data: this server, the portals, and
 * the receivers the operator lists, never "any https site": an option a portal admin writes must not
 * make every operator's browser post to a host the server's operator never allowed.
 */
export function contentSecurityPolicy(settings: HeaderSettings, scriptHashes: readonly string[] = []): string {
  const connect = [
    "'self'",
    ...settings.portalOrigins,
    ...(settings.receiverOrigins ?? []),
    ...(settings.devOrigins ? LOCAL_HTTP : []),
  ];
  return [
    "default-src 'self'",
    ["script-src 'self'", ...scriptHashes].join(' '),
    "style-src 'self'",
    // Operators' photos come from the portal (its own host or its CDN), on the report page.
    `img-src 'self' data: https:${settings.devOrigins ? ` ${LOCAL_HTTP.join(' ')}` : ''}`,
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors 'self' ${settings.portalOrigins.join(' ')}`.trimEnd(),
  ].join('; ');
}

/** Name/value pairs to set on every response, computed once per server. */
export function securityHeaders(settings: HeaderSettings): [string, string][] {
  const headers: [string, string][] = [
    ['Content-Security-Policy', contentSecurityPolicy(settings)],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'],
  ];
  if (settings.hstsMaxAge) headers.push(['Strict-Transport-Security', `max-age=${settings.hstsMaxAge}`]);
  return headers;
}

/**
 * Extra headers of the app page. Opened top-level (outside the portal's slider, where it is a
 * frame and COOP does not apply), it keeps no link to a cross-origin page that opened it, while
 * windows it opens itself (the SDK opens portal paths with window.open on mobile and watches them
 * close) keep theirs: `same-origin` would cut those too.
 */
export const APP_PAGE_HEADERS: readonly [string, string][] = [
  ['Cross-Origin-Opener-Policy', 'same-origin-allow-popups'],
];
