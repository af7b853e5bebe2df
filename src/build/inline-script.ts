// A build plugin that puts a small script into an HTML page inline, as a classic script that runs
// while the page is still parsing, and records its CSP hash. The module is bundled on its own (an
// IIFE, minified) and must not import anything that has effects; the build writes
// `csp-hashes.json` (page -> ["'sha256-...'", ...]) beside the pages, which the production server
// adds to that page's `script-src`. Without the hash a CSP blocks the script and the page's module
// must do its work instead.
import { createHash } from 'node:crypto';
import { build, type Plugin, type Rolldown } from 'vite';
import { CSP_HASHES_FILE } from '../server/http/pages.ts';

export interface InlineScriptOptions {
  /** The module to inline (an absolute path). */
  entry: string;
  /** The page it goes into, relative to the build's output (e.g. 'index.html'). */
  page: string;
  /** The build's target, so the inline code uses no syntax the module scripts do not. */
  target: string;
}

/** The value for `script-src` that allows exactly this inline script. */
export function scriptHash(code: string): string {
  return `'sha256-${createHash('sha256').update(code).digest('base64')}'`;
}

async function bundle(entry: string, target: string): Promise<string> {
  const result = (await build({
    configFile: false,
    logLevel: 'silent',
    publicDir: false,
    build: { write: false, target, minify: true, lib: { entry, formats: ['iife'], name: 'inline' } },
  })) as Rolldown.RolldownOutput[];
  const chunks = result.flatMap((r) => r.output).filter((o) => o.type === 'chunk');
  if (chunks.length !== 1 || !chunks[0])
    throw new Error(`inline-script: ${entry} must build to one chunk, got ${chunks.length}`);
  // `</script` would end the element early; the bundle of our own code never has it, but check.
  const code = chunks[0].code.trim();
  if (/<\/script/i.test(code) || /<!--/.test(code))
    throw new Error(`inline-script: ${entry} bundles to code that cannot be inlined in HTML`);
  return code;
}

export function inlineScript(options: InlineScriptOptions): Plugin {
  let code = '';
  return {
    name: 'inline-script',
    apply: 'build',
    // After Vite's HTML plugin, whose generateBundle writes the pages this one checks.
    enforce: 'post',
    async buildStart() {
      code = await bundle(options.entry, options.target);
      this.addWatchFile(options.entry);
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        if (
          context.filename.replaceAll('\\', '/').endsWith(`/${options.page}`) === false &&
          context.path !== `/${options.page}`
        )
          return undefined;
        return [{ tag: 'script', children: code, injectTo: 'head' }];
      },
    },
    generateBundle(_output, files) {
      const page = files[options.page];
      const html = page?.type === 'asset' ? String(page.source) : '';
      // The hash is of the exact text between the tags, so check the page carries the code as it was hashed.
      if (!html.includes(`<script>${code}</script>`))
        this.error(`inline-script: ${options.page} does not carry the inline script verbatim`);
      this.emitFile({
        type: 'asset',
        fileName: CSP_HASHES_FILE,
        source: `${JSON.stringify({ [options.page]: [scriptHash(code)] }, null, 2)}\n`,
      });
    },
  };
}
