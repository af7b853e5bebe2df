// A build plugin for a page that preloads nothing: Vite wraps every dynamic import in a helper that
// first loads the imported chunk's CSS and modulepreload links (about 1.7 kB minified). With
// `modulePreload: false` and no CSS there is never anything to preload, so the helper only calls the
// import; this one does just that. The build fails if the bundle ever has something to preload.
import type { Plugin } from 'vite';

const HELPER = '\0vite/preload-helper.js';

export function leanPreload(): Plugin {
  let preloads = false;
  return {
    name: 'lean-preload',
    apply: 'build',
    enforce: 'pre',
    configResolved(config) {
      preloads = config.build.modulePreload !== false;
    },
    load(id) {
      return id === HELPER ? 'export const __vitePreload = (load) => load();\n' : null;
    },
    generateBundle(_output, bundle) {
      const css = Object.values(bundle)
        .filter((item) => item.fileName.endsWith('.css'))
        .map((item) => item.fileName);
      if (preloads || css.length > 0) {
        const why = preloads ? 'build.modulePreload is on' : `the bundle has CSS (${css.join(', ')})`;
        this.error(
          `lean-preload: ${why}, so dynamic imports may need to preload files, which this plugin's helper does not do; remove the plugin from this build`,
        );
      }
    },
  };
}
