import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The local portal simulator's page: a separate build, served by src/simulator/server.ts on its own origin.
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/simulator/page'),
  base: '/',
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, 'dist-simulator'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
  },
});
