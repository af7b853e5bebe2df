import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../../src/server/credentials/secret-box.ts';

describe('the secret box that seals the app tokens at rest', () => {
  const box = createSecretBox('application-key-one');

  it('opens what it sealed for the same portal, and the sealed text shows nothing of the token', () => {
    const sealed = box.seal('acme.bitrix24.com', 'refresh-token-0123456789');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('refresh-token');
    expect(box.open('acme.bitrix24.com', sealed)).toBe('refresh-token-0123456789');
  });

  it('seals the same token differently each time', () => {
    expect(box.seal('acme.bitrix24.com', 'x'.repeat(20))).not.toBe(box.seal('acme.bitrix24.com', 'x'.repeat(20)));
  });

  it('does not open a token moved to another portal, sealed with another key, or tampered with', () => {
    const sealed = box.seal('acme.bitrix24.com', 'refresh-token-0123456789');
    expect(box.open('other.bitrix24.com', sealed)).toBeNull();
    expect(createSecretBox('application-key-two').open('acme.bitrix24.com', sealed)).toBeNull();
    const [version, iv, body = ''] = sealed.split('.');
    const flipped = `${body.slice(0, 5)}${body[5] === 'A' ? 'B' : 'A'}${body.slice(6)}`;
    expect(box.open('acme.bitrix24.com', `${version}.${iv}.${flipped}`)).toBeNull();
    expect(box.open('acme.bitrix24.com', 'not sealed at all')).toBeNull();
    expect(box.open('acme.bitrix24.com', 'v1..')).toBeNull();
  });

  it('refuses to work without a key', () => {
    expect(() => createSecretBox('')).toThrow(/B24_CLIENT_SECRET/);
  });
});
