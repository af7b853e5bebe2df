// Renewing a portal's tokens with the app's own Application ID and key, at the OAuth server
// (B24_OAUTH_URL). Every renewal hands out a new refresh token and retires the old one, so the
// caller must store the answer before anything else can ask again (credentials-service.ts).
import * as v from 'valibot';

export interface OAuthSettings {
  /** `https://oauth.bitrix.info`, or the simulator's in development and tests. */
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface RenewedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInS: number;
  memberId: string;
  domain: string | null;
}

export type RenewalOutcome =
  | { kind: 'renewed'; tokens: RenewedTokens }
  /** The refresh token is used, expired or revoked: only a reinstall brings access back. */
  | { kind: 'refused'; error: string }
  /** No answer, or not an OAuth answer: try again later with the same refresh token. */
  | { kind: 'unavailable'; detail: string };

export const OAUTH_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 64 * 1024;

const AnswerSchema = v.object({
  access_token: v.pipe(v.string(), v.minLength(8), v.maxLength(512)),
  refresh_token: v.pipe(v.string(), v.minLength(8), v.maxLength(512)),
  expires_in: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 3600),
  member_id: v.pipe(v.string(), v.maxLength(64)),
  domain: v.optional(v.string()),
});

export async function renewTokens(
  fetcher: typeof fetch,
  settings: OAuthSettings,
  refreshToken: string,
): Promise<RenewalOutcome> {
  const url = new URL('/oauth/token/', settings.oauthUrl);
  url.search = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: settings.clientId,
    client_secret: settings.clientSecret,
    refresh_token: refreshToken,
  }).toString();
  let response: Response;
  try {
    response = await fetcher(url, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(OAUTH_TIMEOUT_MS),
    });
  } catch (error) {
    return {
      kind: 'unavailable',
      detail: `no answer from ${url.origin}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  let body: unknown = null;
  try {
    const text = await response.text();
    if (text.length <= MAX_ANSWER_BYTES) body = JSON.parse(text);
  } catch {
    body = null;
  }
  const error =
    typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
      ? (body as { error: string }).error
      : null;
  if (
    response.status >= 400 &&
    response.status < 500 &&
    (error === 'invalid_grant' || error === 'invalid_token' || error === 'expired_token')
  ) {
    return { kind: 'refused', error };
  }
  if (response.status !== 200)
    return { kind: 'unavailable', detail: `${url.origin} answered HTTP ${response.status}${error ? ` ${error}` : ''}` };
  const parsed = v.safeParse(AnswerSchema, body);
  if (!parsed.success) return { kind: 'unavailable', detail: `${url.origin} answered without new tokens` };
  const answer = parsed.output;
  return {
    kind: 'renewed',
    tokens: {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token,
      expiresInS: answer.expires_in,
      memberId: answer.member_id,
      domain: answer.domain ?? null,
    },
  };
}
