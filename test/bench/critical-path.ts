// Reads a built worker (dist/index.html and the files it loads) and measures the JavaScript the
// browser must fetch and run when the page loads: the page's inline scripts (the worker's early
// subscriptions), its module scripts and their static imports. Chunks reachable only through import()
// are listed apart (lazy).
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChunkSize {
  /** A file relative to distDir, or `<page> <script> <n>` for the page's n-th inline script. */
  file: string;
  /** An inline script's code (it has no file of its own). */
  code?: string;
  minBytes: number;
  /** gzip -9 of the file alone: what one response carries. */
  gzipBytes: number;
}

export interface CriticalPath {
  /** Sums over `files`. */
  minBytes: number;
  gzipBytes: number;
  files: ChunkSize[];
  lazy: ChunkSize[];
}

/** A classic inline script: `<script>` with no attributes. */
const INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/gi;
const SCRIPT_SRC = /<script\b[^>]*\btype=["']module["'][^>]*\bsrc=["']([^"']+)["']/gi;
const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["'`](\.{1,2}\/[^"'`]+)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g;

const matches = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((m) => m[1] ?? '');

/** Paths relative to distDir, posix style. */
function resolveImport(fromFile: string, specifier: string): string {
  return posix.normalize(posix.join(posix.dirname(fromFile), specifier));
}

function size(distDir: string, file: string): ChunkSize {
  return sizeOf(file, readFileSync(join(distDir, file)));
}

function sizeOf(file: string, code: Buffer): ChunkSize {
  return { file, minBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

/** A chunk's code, read from its file unless it is an inline script. */
export function codeOf(distDir: string, chunk: ChunkSize): string {
  return chunk.code ?? readFileSync(join(distDir, chunk.file), 'utf8');
}

/** Measures `<distDir>/index.html`; throws when it or a file it loads is missing. */
export function measureCriticalPath(distDir: string, page = 'index.html'): CriticalPath {
  const html = readFileSync(join(distDir, page), 'utf8');
  const entries = matches(html, SCRIPT_SRC).map((src) =>
    posix.normalize(src.startsWith('/') ? src.slice(1) : posix.join(posix.dirname(page), src)),
  );
  const inline = matches(html, INLINE_SCRIPT).map((code, i) => ({
    ...sizeOf(`${page} <script> ${i + 1}`, Buffer.from(code)),
    code,
  }));
  if (entries.length === 0) throw new Error(`${join(distDir, page)} loads no module script`);
  const critical = new Set<string>();
  const dynamic = new Set<string>();
  const walk = (file: string, into: Set<string>): void => {
    if (into.has(file)) return;
    const path = join(distDir, file);
    if (!existsSync(path)) throw new Error(`${path} is loaded by the worker but missing`);
    into.add(file);
    const code = readFileSync(path, 'utf8');
    for (const spec of matches(code, DYNAMIC_IMPORT)) dynamic.add(resolveImport(file, spec));
    for (const spec of matches(code, STATIC_IMPORT)) walk(resolveImport(file, spec), into);
  };
  entries.forEach((file) => walk(file, critical));
  const lazy = new Set<string>();
  for (const file of dynamic) if (!critical.has(file)) walk(file, lazy);
  for (const file of critical) lazy.delete(file);
  const files = [...inline, ...[...critical].map((file) => size(distDir, file))];
  return {
    minBytes: files.reduce((sum, f) => sum + f.minBytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    files,
    lazy: [...lazy].sort().map((file) => size(distDir, file)),
  };
}
