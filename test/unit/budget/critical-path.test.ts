import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LUXON_SIGNATURES, WORKER_BUDGET } from '../../bench/budget.ts';
import { codeOf, measureCriticalPath } from '../../bench/critical-path.ts';
import { scriptHash } from '../../../src/build/inline-script.ts';

const DIST = resolve(import.meta.dirname, '../../../dist');
const built = existsSync(join(DIST, 'index.html'));

describe('the worker critical path in dist/', () => {
  if (!built)
    console.warn(`size budget not checked: ${join(DIST, 'index.html')} is missing (run npm run build; npm test does)`);

  it.skipIf(!built)('stays within the size budget in test/bench/budget.ts', () => {
    const path = measureCriticalPath(DIST);
    const files = path.files.map((f) => `${f.file} ${f.gzipBytes} B gzip`).join(', ');
    expect(path.gzipBytes, `critical-path JS gzip (${files}) is over budget`).toBeLessThanOrEqual(
      WORKER_BUDGET.gzipBytes,
    );
    expect(path.minBytes, `critical-path JS min (${files}) is over budget`).toBeLessThanOrEqual(WORKER_BUDGET.minBytes);
  });

  it.skipIf(!built)(
    'carries no luxon code, on the critical path or in a lazy chunk, only the stand-in that names its caller',
    () => {
      const path = measureCriticalPath(DIST);
      const code = [...path.files, ...path.lazy].map((f) => codeOf(DIST, f)).join('\n');
      for (const signature of LUXON_SIGNATURES)
        expect(code, `luxon's "${signature}" is in the worker's JS`).not.toContain(signature);
      expect(code).toContain('@bitrix24/b24jssdk/dist/esm/tools/text.mjs');
      expect(code).toContain('but luxon was left out of this build');
    },
  );
});

describe('the worker page inline script in dist/', () => {
  it.skipIf(!built)('is the only inline script, and the hash the build recorded for the CSP is its own', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(
      (m) => !/\bsrc=/.test(m[1] ?? ''),
    );
    expect(scripts.map((m) => m[1])).toEqual(['']);
    const recorded = JSON.parse(readFileSync(join(DIST, 'csp-hashes.json'), 'utf8')) as Record<string, string[]>;
    expect(recorded).toEqual({ 'index.html': [scriptHash(scripts[0]?.[2] ?? '')] });
  });
});

describe('measureCriticalPath', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the page script and its static imports, and lists dynamically imported chunks apart', () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-critical-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<script type="module" crossorigin src="/assets/entry.js"></script>');
    writeFileSync(join(dir, 'assets', 'entry.js'), 'import{a}from"./shared.js";const w=()=>import(`./lazy.js`);a(w);');
    writeFileSync(join(dir, 'assets', 'shared.js'), 'export const a=(x)=>x;');
    writeFileSync(join(dir, 'assets', 'lazy.js'), 'import{a}from"./shared.js";import"./lazy-dep.js";export default a;');
    writeFileSync(join(dir, 'assets', 'lazy-dep.js'), 'console.info(1);');
    writeFileSync(join(dir, 'assets', 'unrelated.js'), 'console.info(2);');

    const path = measureCriticalPath(dir);

    expect(path.files.map((f) => f.file)).toEqual(['assets/entry.js', 'assets/shared.js']);
    expect(path.lazy.map((f) => f.file)).toEqual(['assets/lazy-dep.js', 'assets/lazy.js']);
    expect(path.minBytes).toBe(path.files.reduce((sum, f) => sum + f.minBytes, 0));
    expect(path.gzipBytes).toBeGreaterThan(0);
  });

  it('counts the page inline scripts too, each as its own entry', () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-critical-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<script>parent.postMessage("x","*")</script><script type="module" src="/assets/entry.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'entry.js'), 'console.info(1);');

    const path = measureCriticalPath(dir);

    expect(path.files.map((f) => f.file)).toEqual(['index.html <script> 1', 'assets/entry.js']);
    expect(path.files[0]).toMatchObject({ minBytes: 27, code: 'parent.postMessage("x","*")' });
    expect(path.minBytes).toBe(27 + 16);
  });

  it('fails when the page loads a script that is not there', () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-critical-'));
    writeFileSync(join(dir, 'index.html'), '<script type="module" src="/assets/gone.js"></script>');
    expect(() => measureCriticalPath(dir)).toThrow(/missing/);
  });
});
