// The simulator's OAuth server (`GET /oauth/token/`), as the portal's OAuth server behaves for a
// local app: a refresh token renews once, the answer carries a new one, and a used, unknown or
// foreign refresh token is refused with `invalid_grant`. Tests and `npm start` point
// B24_OAUTH_URL at it.
import { randomBytes } from 'node:crypto';

export interface OAuthIssuerOptions {
  clientId: string;
  clientSecret: string;
  /** Seconds an access token lives; 3600 as in the portal. */
  accessSeconds?: number;
  /** Told of every pair issued, so the portal's REST can accept the access token. */
  onIssued?: (tokens: IssuedTokens) => void;
}

export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  member_id: string;
  domain: string;
  client_endpoint: string;
  server_endpoint: string;
  scope: string;
  status: 'L';
}

export interface OAuthIssuer {
  /** Tokens for an install of the app in the portal `domain` (what ONAPPINSTALL carries). */
  issue(domain: string, memberId: string, protocol?: 'http' | 'https'): IssuedTokens;
  /** Answers `GET /oauth/token/?…` (its query string). */
  token(query: URLSearchParams): { status: number; body: Record<string, unknown> };
  /** Whether `token` is a live access token of the app, and for which portal. */
  accessOf(token: string): { domain: string; memberId: string } | null;
  /** Refresh renewals answered so far (used tokens refused are not counted). */
  renewals(): number;
  /** Forgets every token of the portal (the app was uninstalled there); resolves to the access tokens revoked. */
  revoke(domain: string): string[];
}

const refuse = (description: string) => ({
  status: 400,
  body: { error: 'invalid_grant', error_description: description },
});

export function createOAuthIssuer(options: OAuthIssuerOptions): OAuthIssuer {
  const accessSeconds = options.accessSeconds ?? 3600;
  const refresh = new Map<string, { domain: string; memberId: string; protocol: 'http' | 'https'; used: boolean }>();
  const access = new Map<string, { domain: string; memberId: string; until: number }>();
  let renewed = 0;

  const issue = (domain: string, memberId: string, protocol: 'http' | 'https' = 'https'): IssuedTokens => {
    const accessToken = randomBytes(24).toString('hex');
    const refreshToken = randomBytes(24).toString('hex');
    access.set(accessToken, { domain, memberId, until: Date.now() + accessSeconds * 1000 });
    refresh.set(refreshToken, { domain, memberId, protocol, used: false });
    const tokens: IssuedTokens = {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: accessSeconds,
      member_id: memberId,
      domain,
      client_endpoint: `${protocol}://${domain}/rest/`,
      server_endpoint: 'https://oauth.bitrix.info/rest/',
      scope: 'placement,telephony,user_brief,im',
      status: 'L',
    };
    options.onIssued?.(tokens);
    return tokens;
  };

  return {
    issue,
    token(query) {
      if (query.get('grant_type') !== 'refresh_token')
        return {
          status: 400,
          body: { error: 'unsupported_grant_type', error_description: 'only refresh_token is simulated' },
        };
      if (query.get('client_id') !== options.clientId || query.get('client_secret') !== options.clientSecret) {
        return {
          status: 401,
          body: { error: 'invalid_client', error_description: 'wrong client_id or client_secret' },
        };
      }
      const grant = refresh.get(query.get('refresh_token') ?? '');
      if (!grant) return refuse('unknown refresh token');
      if (grant.used) return refuse('the refresh token was already used');
      grant.used = true;
      renewed += 1;
      return { status: 200, body: { ...issue(grant.domain, grant.memberId, grant.protocol) } };
    },
    accessOf(token) {
      const grant = access.get(token);
      return grant && grant.until > Date.now() ? { domain: grant.domain, memberId: grant.memberId } : null;
    },
    renewals: () => renewed,
    revoke(domain) {
      const revoked: string[] = [];
      for (const [token, grant] of refresh) if (grant.domain === domain) refresh.delete(token);
      for (const [token, grant] of access) {
        if (grant.domain === domain) {
          access.delete(token);
          revoked.push(token);
        }
      }
      return revoked;
    },
  };
}
