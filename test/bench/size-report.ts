// Measures the worker's JavaScript: the critical path (everything index.html runs or loads at
// start: its inline script, which subscribes, and its module script with what that imports), split
// into the SDK, the SDK's own dependencies, other libraries and our code; and every lazily loaded
// chunk apart. Prints a table; `--json` prints JSON.
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { build, minifySync, type Plugin } from 'vite';

export interface SizeGroup {
  name: string;
  minBytes: number;
  gzipBytes: number;
}

export interface SizeReport {
  criticalPath: { minBytes: number; gzipBytes: number; files: string[] };
  groups: SizeGroup[];
  lazyChunks: { file: string; minBytes: number; gzipBytes: number }[];
}

function groupOf(id: string): string {
  if (id.startsWith('\0')) return 'build stand-ins (luxon, preload)';
  if (id.includes('/node_modules/@bitrix24/b24jssdk/')) return 'SDK (@bitrix24/b24jssdk)';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id)?.[1];
  if (pkg === 'luxon' || pkg === 'axios' || pkg === 'qs-esm') return `SDK dependency (${pkg})`;
  if (pkg) return `library (${pkg})`;
  return 'own code (src/)';
}

/** Chunks the critical ones import() (and what those import), not already on the critical path; other pages' chunks are not listed. */
function lazyOf<C extends { file: string; imports: string[]; dynamicImports: string[] }>(
  critical: C[],
  chunks: C[],
): C[] {
  const lazy = new Set<C>();
  const visit = (file: string): void => {
    const chunk = chunks.find((c) => c.file === file);
    if (!chunk || critical.includes(chunk) || lazy.has(chunk)) return;
    lazy.add(chunk);
    [...chunk.imports, ...chunk.dynamicImports].forEach(visit);
  };
  critical.flatMap((c) => c.dynamicImports).forEach(visit);
  return [...lazy];
}

export async function measureWorker(root = resolve(import.meta.dirname, '../..')): Promise<SizeReport> {
  const chunks: {
    file: string;
    code: string;
    isEntry: boolean;
    imports: string[];
    dynamicImports: string[];
    modules: [string, string][];
  }[] = [];
  const inline: string[] = [];
  const capture: Plugin = {
    name: 'size-report',
    // After Vite's HTML plugin has written the page, to read its inline script.
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const item of Object.values(bundle)) {
        if (item.type === 'asset' && item.fileName === 'index.html') {
          inline.push(...[...String(item.source).matchAll(/<script>([\s\S]*?)<\/script>/gi)].map((m) => m[1] ?? ''));
        }
        if (item.type !== 'chunk') continue;
        const modules = Object.entries(item.modules).map(([id, info]): [string, string] => [id, info.code ?? '']);
        chunks.push({
          file: item.fileName,
          code: item.code,
          isEntry: item.isEntry && item.name === 'worker',
          imports: item.imports,
          dynamicImports: item.dynamicImports,
          modules,
        });
      }
    },
  };
  await build({
    root,
    configFile: resolve(root, 'vite.config.ts'),
    logLevel: 'silent',
    build: { write: false, rollupOptions: { input: { worker: resolve(root, 'index.html') } } },
    plugins: [capture],
  });
  const gz = (code: string) => gzipSync(code, { level: 9 }).length;
  const entry = chunks.find((c) => c.isEntry);
  if (!entry) throw new Error('the build produced no worker entry chunk');
  const critical = [
    entry,
    ...entry.imports.map((f) => chunks.find((c) => c.file === f)).filter((c) => c !== undefined),
  ];
  const criticalCode = [...inline, ...critical.map((c) => c.code)].join('\n');
  // The groups cover every chunk on the critical path: the entry and the chunks it shares with other pages.
  const modules = new Map<string, string[]>();
  for (const [id, code] of critical.flatMap((c) => c.modules))
    modules.set(groupOf(id), [...(modules.get(groupOf(id)) ?? []), code]);
  const inlineCode = inline.join('\n');
  const inlineGroup =
    inline.length > 0
      ? [
          {
            name: 'inline script in index.html (the subscriptions)',
            minBytes: Buffer.byteLength(inlineCode),
            gzipBytes: gz(inlineCode),
          },
        ]
      : [];
  return {
    criticalPath: {
      minBytes: Buffer.byteLength(criticalCode),
      gzipBytes: gz(criticalCode),
      files: [...inline.map((_, i) => `index.html <script> ${i + 1}`), ...critical.map((c) => c.file)],
    },
    groups: [
      ...[...modules].map(([name, codes]) => {
        // Each group minified on its own: close to, not exactly, its share of the minified chunk.
        const code = minifySync('group.js', codes.join('\n'), { module: false }).code;
        return { name, minBytes: Buffer.byteLength(code), gzipBytes: gz(code) };
      }),
      ...inlineGroup,
    ].sort((a, b) => b.minBytes - a.minBytes),
    lazyChunks: lazyOf(critical, chunks).map((c) => ({
      file: c.file,
      minBytes: Buffer.byteLength(c.code),
      gzipBytes: gz(c.code),
    })),
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await measureWorker();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(
      `worker critical path: ${kb(report.criticalPath.minBytes)} min, ${kb(report.criticalPath.gzipBytes)} gzip (${report.criticalPath.files.join(', ')})`,
    );
    for (const g of report.groups)
      console.log(`  ${g.name.padEnd(36)} ${kb(g.minBytes).padStart(9)} min ${kb(g.gzipBytes).padStart(9)} gzip`);
    for (const c of report.lazyChunks)
      console.log(`  lazy ${c.file.padEnd(31)} ${kb(c.minBytes).padStart(9)} min ${kb(c.gzipBytes).padStart(9)} gzip`);
  }
}
