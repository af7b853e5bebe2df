import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LUXON_SIGNATURES, WORKER_BUDGET } from '../../bench/budget.ts';
import { measureCriticalPath } from '../../bench/critical-path.ts';

const DIST = resolve(import.meta.dirname, '../../../dist');
const built = existsSync(join(DIST, 'index.html'));

describe('the worker critical path in dist/', () => {
  if (!built) console.warn(`size budget not checked: ${join(DIST, 'index.html')} is missing (run npm run build; npm test does)`);

  it.skipIf(!built)('stays within the size budget in test/bench/budget.ts', () => {
    const path = measureCriticalPath(DIST);
    const files = path.files.map((f) => `${f.file} ${f.gzipBytes} B gzip`).join(', ');
    expect(path.gzipBytes, `critical-path JS gzip (${files}) is over budget`).toBeLessThanOrEqual(WORKER_BUDGET.gzipBytes);
    expect(path.minBytes, `critical-path JS min (${files}) is over budget`).toBeLessThanOrEqual(WORKER_BUDGET.minBytes);
  });

  it.skipIf(!built)('carries no luxon code, on the critical path or in a lazy chunk, only the stand-in that names its caller', () => {
    const path = measureCriticalPath(DIST);
    const code = [...path.files, ...path.lazy].map((f) => readFileSync(join(DIST, f.file), 'utf8')).join('\n');
    for (const signature of LUXON_SIGNATURES) expect(code, `luxon's "${signature}" is in the worker's JS`).not.toContain(signature);
    expect(code).toContain('@bitrix24/b24jssdk/dist/esm/tools/text.mjs');
    expect(code).toContain('but luxon was left out of this build');
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

  it('fails when the page loads a script that is not there', () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-critical-'));
    writeFileSync(join(dir, 'index.html'), '<script type="module" src="/assets/gone.js"></script>');
    expect(() => measureCriticalPath(dir)).toThrow(/missing/);
  });
});
