// The HTML pages the portal POSTs to (the worker and the app page), held in memory with their
// compressed forms: they answer every portal page view, so they must never wait on the disk.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { accepts } from './http-io.ts';

export interface Page {
  raw: Buffer<ArrayBuffer>;
  br: Buffer<ArrayBuffer> | null;
  gzip: Buffer<ArrayBuffer> | null;
  etag: string;
}

/** Reads and compresses a page once; null when the file does not exist. */
export function loadPage(file: string): Page | null {
  if (!existsSync(file)) return null;
  const raw = readFileSync(file);
  const smaller = (candidate: Buffer<ArrayBuffer>): Buffer<ArrayBuffer> | null =>
    candidate.length < raw.length ? candidate : null;
  return {
    raw,
    br: smaller(brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })),
    gzip: smaller(gzipSync(raw, { level: 9 })),
    etag: `W/"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`,
  };
}

/** What the build writes beside the pages (src/build/inline-script.ts): page -> CSP hashes of its inline scripts. */
export const CSP_HASHES_FILE = 'csp-hashes.json';
const HASH = /^'sha256-[A-Za-z0-9+/]{43}='$/;

/**
 * The hashes of `page`'s inline scripts that the build recorded in `distDir`, for its `script-src`;
 * none when the build recorded none. Throws on a file that is not the build's: a value that is not a
 * hash must never reach the policy.
 */
export function readScriptHashes(distDir: string, page: string): string[] {
  const file = join(distDir, CSP_HASHES_FILE);
  if (!existsSync(file)) return [];
  const recorded: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const hashes: unknown =
    recorded !== null && typeof recorded === 'object' ? (recorded as Record<string, unknown>)[page] : undefined;
  if (hashes === undefined) return [];
  if (!Array.isArray(hashes) || !hashes.every((h) => typeof h === 'string' && HASH.test(h))) {
    throw new Error(
      `${file}: "${page}" must list sha256 hashes like 'sha256-<base64>', as the build writes them: build again`,
    );
  }
  return hashes as string[];
}

/**
 * The page as a response: 304 for a GET or HEAD that holds its ETag, else its smallest form the
 * client accepts. `headers` are the page's own (its policy), added to every answer.
 */
export function pageResponse(req: IncomingMessage, page: Page, headers: Record<string, string>): Response {
  const all: Record<string, string> = {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-cache',
    ETag: page.etag,
    Vary: 'Accept-Encoding',
    ...headers,
  };
  if (req.method !== 'POST' && req.headers['if-none-match'] === page.etag)
    return new Response(null, { status: 304, headers: all });
  const acceptEncoding = req.headers['accept-encoding'];
  let body = page.raw;
  if (page.br && accepts(acceptEncoding, 'br')) {
    body = page.br;
    all['Content-Encoding'] = 'br';
  } else if (page.gzip && accepts(acceptEncoding, 'gzip')) {
    body = page.gzip;
    all['Content-Encoding'] = 'gzip';
  }
  all['Content-Length'] = String(body.length);
  return new Response(body, { status: 200, headers: all });
}
