import { resolve } from 'node:path';
import type { UserConfig } from 'vite';
import { defineConfig } from 'vitest/config';
import { inlineScript } from './src/build/inline-script.ts';
import { leanPreload } from './src/build/lean-preload.ts';
import { noLuxon } from './src/build/no-luxon.ts';

const here = (path: string): string => resolve(import.meta.dirname, path);

/**
 * Three separate builds, chosen by `--mode`, so no chunk is ever shared between them:
 * - `worker` (the default): index.html, the PAGE_BACKGROUND_WORKER page. It loads on every portal page:
 *   its critical path is budgeted (test/bench/budget.ts).
 * - `pages`: the app page (src/app -> dist/app/) and the event monitor (src/monitor -> dist/monitor/).
 * - `simulator`: the local portal simulator's page (src/simulator/page -> dist-simulator/).
 * The pages and the simulator build after the worker, into the same dist/ without emptying it.
 */
const SDK = '@bitrix24/b24jssdk/dist/esm';
const TARGET = 'es2022';

const builds = {
  worker: {
    publicDir: 'public',
    plugins: [
      // The SDK's Text helper and log formatter import luxon, and the frame messaging reaches both; the
      // worker never runs their luxon code, so it ships without luxon (src/build/no-luxon.ts).
      noLuxon({
        importers: {
          [`${SDK}/tools/text.mjs`]: ['DateTime'],
          [`${SDK}/logger/formatter/abstract-formatter.mjs`]: ['DateTime'],
        },
        offPath: [
          {
            // Log lines are formatted only by the console loggers LoggerFactory.createForBrowser* build;
            // the frame classes keep the null logger they start with.
            members: ['_formatDate', '_formatTimestamp'],
            modules: [
              'formatter/line-formatter',
              'handler/console-handler',
              'handler/console-v2-handler',
              'logger-factory',
            ].map((m) => `${SDK}/logger/${m}.mjs`),
            entries: [
              'createForBrowser',
              'createForBrowserDevelopment',
              'createForBrowserProduction',
              'ConsoleHandler',
              'ConsoleV2Handler',
              'LineFormatter',
            ],
          },
        ],
      }),
      leanPreload(),
      // The card event subscriptions go out from an inline script while the page parses, not after the module loads.
      inlineScript({ entry: here('src/worker/inline-entry.ts'), page: 'index.html', target: TARGET }),
    ],
    build: { outDir: here('dist'), emptyOutDir: true, rollupOptions: { input: { worker: here('index.html') } } },
  },
  pages: {
    root: here('src'),
    publicDir: false,
    build: {
      outDir: here('dist'),
      emptyOutDir: false,
      rollupOptions: { input: { app: here('src/app/index.html'), monitor: here('src/monitor/index.html') } },
    },
  },
  simulator: {
    root: here('src/simulator/page'),
    publicDir: false,
    build: { outDir: here('dist-simulator'), emptyOutDir: true },
  },
} satisfies Record<string, UserConfig>;

export default defineConfig(({ mode }) => {
  const chosen: UserConfig = mode in builds ? builds[mode as keyof typeof builds] : builds.worker;
  return {
    ...chosen,
    base: '/',
    build: { target: TARGET, modulePreload: false, ...chosen.build },
    test: {
      restoreMocks: true,
      projects: [
        {
          test: {
            name: 'unit',
            root: here('.'),
            include: ['test/unit/**/*.test.ts'],
            // Node by default (fast); a file that needs a DOM says so with a `@vitest-environment happy-dom` comment.
            environment: 'node',
            // Worker threads start faster than child processes, and these tests share no process state.
            pool: 'threads',
            // Vitest's default is one fewer than the cores: one file at a time on two. Most of the slow
            // files wait on sockets and timers (retries, timeouts), so four at a time keep two cores busy.
            maxWorkers: 4,
            // Files share each worker's module cache: importing the server, the database driver and
            // valibot once per worker instead of once per file took a fifth of the suite's CPU. Nothing
            // here mocks modules; globals and env a test stubs are put back after it, as are spies.
            isolate: false,
            restoreMocks: true,
            unstubGlobals: true,
            unstubEnvs: true,
            // Conditions waited on (expect.poll) often cross a real database, HTTP or a browser: on a busy
            // machine they take longer than the default second. A condition that holds passes at once.
            expect: { poll: { timeout: 10_000 } },
            // Many unit tests open a real database and a real server: on a loaded two-core machine one
            // took over Vitest's default 5 s without anything being wrong. A hang still fails.
            testTimeout: 20_000,
          },
        },
        {
          // The built worker with the real SDK in Debian's Chromium against the simulator. Two files at a
          // time: a file spends most of its time waiting on the worker's timers and retries (its CPU is a
          // third of its wall time), and each has its own stack, ports, browser and profiles. In threads,
          // which start faster than processes (the suite took 128 s in forks, 118 s in threads). Files
          // share each worker's module cache, as the unit tests do: the server, simulator and Playwright
          // were imported once per file, 15 s of the suite's time, now 7 s. Every file starts its own stack.
          test: {
            name: 'e2e',
            root: here('.'),
            include: ['test/e2e/**/*.e2e.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 60_000,
            pool: 'threads',
            maxWorkers: 2,
            isolate: false,
            expect: { poll: { timeout: 10_000 } },
          },
        },
      ],
    },
  };
});
