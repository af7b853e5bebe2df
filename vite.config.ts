import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The worker (index.html) is the critical path: it loads on every portal page.
// Other pages are separate entries so nothing of theirs reaches the worker's chunks.
export default defineConfig({
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    rollupOptions: {
      input: {
        worker: resolve(import.meta.dirname, 'index.html'),
        monitor: resolve(import.meta.dirname, 'monitor/index.html'),
      },
    },
  },
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'happy-dom',
    restoreMocks: true,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/unit.json' },
  },
});
