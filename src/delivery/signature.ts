/**
 * Standard Webhooks signing with Web Crypto: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`,
 * keyed by the bytes of a `whsec_<base64>` secret.
 */
import { MIN_SECRET_BYTES, SECRET_PREFIX, SIGNATURE_VERSION, signedContent } from '../contract/standard-webhooks.ts';

/** The secret's key bytes, or a reason it is not a usable Standard Webhooks secret. */
export function decodeSecret(secret: string): { ok: true; key: Uint8Array } | { ok: false; reason: string } {
  if (!secret.startsWith(SECRET_PREFIX)) return { ok: false, reason: `must start with "${SECRET_PREFIX}"` };
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    return { ok: false, reason: `must be "${SECRET_PREFIX}" followed by base64` };
  }
  const key = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  if (key.length < MIN_SECRET_BYTES)
    return { ok: false, reason: `must hold at least ${MIN_SECRET_BYTES} bytes (has ${key.length})` };
  return { ok: true, key };
}

export type Signer = (id: string, timestampSeconds: number, body: string) => Promise<string>;

/** Imports the key once; each call signs one attempt. */
export async function createSigner(key: Uint8Array): Promise<Signer> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    key as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const encoder = new TextEncoder();
  return async (id, timestampSeconds, body) => {
    const mac = await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(signedContent(id, timestampSeconds, body)));
    let binary = '';
    for (const byte of new Uint8Array(mac)) binary += String.fromCharCode(byte);
    return `${SIGNATURE_VERSION},${btoa(binary)}`;
  };
}
