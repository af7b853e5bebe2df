// The baseline: test/bench/bare-worker (the SDK's public entry, init + one bindEvent) built like the
// product's worker and served by the same production server, framed by its own portal simulator.
import { resolve } from 'node:path';
import { build } from 'vite';
import { compressDir } from '../../src/build/compress-dist.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BARE_ROOT = resolve(import.meta.dirname, 'bare-worker');

/** Builds the bare worker into `outDir` (emptied first) with the product worker's build settings. */
export async function buildBareWorker(outDir: string): Promise<void> {
  await build({
    root: BARE_ROOT,
    configFile: false,
    publicDir: false,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, target: 'es2022', modulePreload: false, minify: true },
  });
  // Served like dist/: with precompressed copies beside the files.
  compressDir(outDir);
}

/**
 * The production server on `distDir` (localhost) and a simulator (127.0.0.1) that frames it. The
 * simulator's monitor frame shows a script-free page of the app's origin, so the worker's renderer
 * process runs the worker alone, for ours and the baseline alike.
 */
export function startStackFor(distDir: string, option?: string | null): Promise<Stack> {
  // The port is not known yet: the monitor is the app origin's /healthz, whatever that origin is.
  return startStack({ distDir, monitorUrl: '/healthz', ...(option === undefined ? {} : { option }) });
}
