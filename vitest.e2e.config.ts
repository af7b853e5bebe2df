import { defineConfig } from 'vitest/config';

// End-to-end tests drive the built worker (dist/) with the real SDK in Debian's Chromium
// against the local portal simulator. One browser at a time: the machine has two cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/e2e.json' },
  },
});
