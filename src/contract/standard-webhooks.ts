/**
 * The Standard Webhooks names both deliverers send under: the headers, the secret's form and what a
 * signature covers. Each side computes the HMAC with its own crypto (Web Crypto, node:crypto).
 */

export const HEADER_ID = 'webhook-id';
export const HEADER_TIMESTAMP = 'webhook-timestamp';
export const HEADER_SIGNATURE = 'webhook-signature';

/** A symmetric secret: `whsec_` + base64 of its key bytes. */
export const SECRET_PREFIX = 'whsec_';
/** The spec's least key length for HMAC-SHA256. */
export const MIN_SECRET_BYTES = 24;
/** The version tag of an HMAC-SHA256 signature: `v1,<base64>`. */
export const SIGNATURE_VERSION = 'v1';

/** What the signature covers: `{id}.{timestamp}.{body}`. */
export const signedContent = (id: string, timestampSeconds: number, body: string): string =>
  `${id}.${timestampSeconds}.${body}`;

/** The headers of one attempt, but its signature (`HEADER_SIGNATURE`, added when there is a secret). */
export const standardHeaders = (id: string, timestampSeconds: number) => ({
  'content-type': 'application/json',
  [HEADER_ID]: id,
  [HEADER_TIMESTAMP]: String(timestampSeconds),
});
