// After `vite build`: writes `.br` and `.gz` beside every compressible file in dist/, which the
// production server (sirv) serves to clients that accept them. Usage: tsx src/build/compress-dist.ts [dir]
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(?:html|js|mjs|css|svg|json|txt|xml|webmanifest|map|wasm)$/i;
/** Below this a compressed copy saves too little to be worth a file. */
const MIN_BYTES = 1024;

export interface CompressResult {
  files: number;
  bytesBefore: number;
  bytesBr: number;
  bytesGzip: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : [];
  });
}

/** Compresses every eligible file under `dir`; a stale `.br`/`.gz` of a file that no longer qualifies is removed. */
export function compressDir(dir: string): CompressResult {
  const result: CompressResult = { files: 0, bytesBefore: 0, bytesBr: 0, bytesGzip: 0 };
  for (const file of walk(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    rmSync(`${file}.br`, { force: true });
    rmSync(`${file}.gz`, { force: true });
    if (statSync(file).size < MIN_BYTES) continue;
    const raw = readFileSync(file);
    const br = brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    });
    const gz = gzipSync(raw, { level: 9 });
    // Not worth it unless it saves a tenth.
    if (br.length < raw.length * 0.9) writeFileSync(`${file}.br`, br);
    if (gz.length < raw.length * 0.9) writeFileSync(`${file}.gz`, gz);
    result.files += 1;
    result.bytesBefore += raw.length;
    result.bytesBr += Math.min(br.length, raw.length);
    result.bytesGzip += Math.min(gz.length, raw.length);
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = resolve(process.argv[2] ?? join(import.meta.dirname, '../..', 'dist'));
  const r = compressDir(dir);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  console.info(
    `compress-dist: ${r.files} files in ${dir}: ${kb(r.bytesBefore)} -> brotli ${kb(r.bytesBr)}, gzip ${kb(r.bytesGzip)}`,
  );
}
