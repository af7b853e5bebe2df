// What every standalone bench script starts with: the repository's paths, a built dist/, and Ctrl-C
// leaving through process 'exit', where child processes are killed.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DEFAULT_DIST = join(ROOT, 'dist');
export const RESULTS_DIR = join(ROOT, 'bench-results');

/** The built site at `dir`, or exit 2 saying to build it first. */
export function requireBuiltDist(dir: string): string {
  const distDir = resolve(dir);
  if (!existsSync(join(distDir, 'index.html'))) {
    console.error(`${join(distDir, 'index.html')} is missing: run npm run build first`);
    process.exit(2);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  return distDir;
}
