// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Rolldown } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { leanPreload } from '../../../src/build/lean-preload.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Builds a page whose script imports `./lazy.js` dynamically; resolves with every chunk's code. */
async function buildPage(lazy: string, modulePreload: false | { polyfill: false } = false): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'lean-preload-'));
  writeFileSync(join(dir, 'index.html'), '<script type="module" src="./main.js"></script>');
  writeFileSync(join(dir, 'main.js'), "document.body.onclick = () => import('./lazy.js').then((m) => m.run());\n");
  writeFileSync(join(dir, 'lazy.js'), lazy);
  writeFileSync(join(dir, 'lazy.css'), 'body { color: red; }\n');
  const result = (await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    plugins: [leanPreload()],
    build: { write: false, modulePreload },
  })) as Rolldown.RolldownOutput;
  return result.output.map((item) => (item.type === 'chunk' ? item.code : '')).join('\n');
}

describe('the lean-preload build plugin', () => {
  it('leaves dynamic imports as plain imports, without the preload helper', async () => {
    const code = await buildPage('export const run = () => console.info(1);\n');
    expect(code).toMatch(/import\(`\.\/lazy-[\w-]+\.js`\)/);
    expect(code).not.toContain('vite:preloadError');
  });

  it('fails the build when a dynamically imported chunk has CSS to preload, or module preload is on', async () => {
    await expect(buildPage("import './lazy.css';\nexport const run = () => 1;\n")).rejects.toThrow(
      /the bundle has CSS/,
    );
    await expect(buildPage('export const run = () => 1;\n', { polyfill: false })).rejects.toThrow(
      /build\.modulePreload is on/,
    );
  });
});
