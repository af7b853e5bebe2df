import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The app page (install flow and admin settings), built on its own after the worker's build into the
// same dist/. A separate build, so no chunk is shared with the worker: the worker stays one file on
// the critical path of every portal page, whatever the app page imports.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    modulePreload: false,
    rollupOptions: {
      input: { app: resolve(import.meta.dirname, 'app/index.html') },
    },
  },
});
