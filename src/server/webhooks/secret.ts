// Standard Webhooks secrets and signatures on the server: `whsec_` + base64 of 32 random bytes, and
// `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` per secret, space-separated while a
// rotated-out secret still signs.
import { createHmac, randomBytes } from 'node:crypto';
import {
  HEADER_SIGNATURE,
  SECRET_PREFIX,
  SIGNATURE_VERSION,
  signedContent,
  standardHeaders,
} from '../../contract/standard-webhooks.ts';

const SECRET_BYTES = 32;

export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

/** The `webhook-signature` header: one `v1,` signature per secret, the current one first. */
export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  const content = signedContent(id, timestampSeconds, body);
  return secrets
    .map((secret) => `${SIGNATURE_VERSION},${createHmac('sha256', keyOf(secret)).update(content).digest('base64')}`)
    .join(' ');
}

export interface WebhookHeaders extends Record<string, string> {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The Standard Webhooks headers of one attempt. */
export function webhookHeaders(secrets: readonly string[], id: string, body: string, now = Date.now()): WebhookHeaders {
  const timestamp = Math.floor(now / 1000);
  return {
    ...standardHeaders(id, timestamp),
    'user-agent': 'b24-hold-relay',
    [HEADER_SIGNATURE]: signatureHeader(secrets, id, timestamp, body),
  };
}
