// Sealing the app's own tokens at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the
// local app's Application key (B24_CLIENT_SECRET), bound to the portal they belong to, so a sealed
// token copied into another portal's row does not open. A database dump alone reveals no token.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretBox {
  /** `v1.<iv>.<ciphertext+tag>` (base64url), for `portal`. */
  seal(portal: string, plain: string): string;
  /** The plain text, or null when `sealed` is not one of this key's for `portal`. */
  open(portal: string, sealed: string): string | null;
}

export function createSecretBox(clientSecret: string): SecretBox {
  if (clientSecret.length === 0) throw new Error('[credentials] the secret box needs B24_CLIENT_SECRET');
  const key = Buffer.from(hkdfSync('sha256', clientSecret, 'b24-hold-relay', 'app tokens at rest v1', 32));
  return {
    seal(portal, plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(portal, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(portal, sealed) {
      const [version, ivText, bodyText, ...rest] = sealed.split('.');
      if (version !== VERSION || ivText === undefined || bodyText === undefined || rest.length > 0) return null;
      const iv = Buffer.from(ivText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(portal, 'utf8'));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        return null;
      }
    },
  };
}
