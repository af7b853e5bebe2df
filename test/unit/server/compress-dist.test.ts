import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { compressDir } from '../../../src/build/compress-dist.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('compressDir', () => {
  it('writes .br and .gz beside large text files only, and drops stale ones', () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-compress-'));
    mkdirSync(join(dir, 'assets'));
    const js = 'export const hold = "relay";\n'.repeat(200);
    writeFileSync(join(dir, 'assets', 'big-abc.js'), js);
    writeFileSync(join(dir, 'tiny.css'), 'a{}');
    writeFileSync(join(dir, 'tiny.css.gz'), 'stale');
    writeFileSync(join(dir, 'logo.png'), Buffer.alloc(4096));

    expect(compressDir(dir).files).toBe(1);
    expect(brotliDecompressSync(readFileSync(join(dir, 'assets', 'big-abc.js.br'))).toString()).toBe(js);
    expect(gunzipSync(readFileSync(join(dir, 'assets', 'big-abc.js.gz'))).toString()).toBe(js);
    expect(existsSync(join(dir, 'tiny.css.gz'))).toBe(false);
    expect(existsSync(join(dir, 'logo.png.br'))).toBe(false);
    expect(compressDir(dir).files).toBe(1);
  });
});
