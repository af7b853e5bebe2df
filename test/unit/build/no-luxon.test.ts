// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, parseSync, type Rolldown } from 'vite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findLuxonUse, type AstNode } from '../../../src/build/luxon-use.ts';
import { noLuxon, type NoLuxonOptions } from '../../../src/build/no-luxon.ts';

// A stand-in for the SDK: a Text helper whose uid() is luxon-free and whose stamp() and iso() use luxon.
const SDK_TEXT = `import { DateTime } from 'luxon';
class TextManager {
  uid() { return 'id-' + Math.random().toString(16).slice(2); }
  stamp() { return DateTime.now().toISO(); }
  iso(date) { return this.stamp() + String(date); }
}
export const Text = new TextManager();
`;
const ALLOWED: NoLuxonOptions = { importers: { 'sdk/text.js': ['DateTime'] } };

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Builds `files` (entry.js first) as an ES library through the plugin; resolves with the one chunk's code. */
async function buildFixture(files: Record<string, string>, options: NoLuxonOptions = ALLOWED): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'no-luxon-'));
  for (const [file, code] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), code);
  }
  const result = (await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    plugins: [noLuxon(options)],
    build: { write: false, minify: false, lib: { entry: join(dir, 'entry.js'), formats: ['es'], fileName: 'out' } },
  })) as Rolldown.RolldownOutput[];
  const chunk = result.flatMap((r) => r.output).find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('the fixture built no chunk');
  return chunk.code;
}

const failure = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'the build passed',
    (error: unknown) => String(error instanceof Error ? error.message : error),
  );

describe('the no-luxon build plugin', () => {
  it('builds a bundle that reaches only luxon-free code without luxon, and a stand-in that throws naming the caller', async () => {
    const code = await buildFixture({
      'entry.js': "import { Text } from './sdk/text.js';\nexport const id = () => Text.uid();\nexport { Text };\n",
      'sdk/text.js': SDK_TEXT,
    });
    expect(code).not.toMatch(/Invalid DateTime|IANAZone|fromISO/);
    const file = join(dir, 'out.mjs');
    writeFileSync(file, code);
    const bundle = (await import(pathToFileURL(file).href)) as { id(): string; Text: { stamp(): string } };
    expect(bundle.id()).toMatch(/^id-/);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => bundle.Text.stamp()).toThrow(
      "sdk/text.js used luxon's DateTime.now, but luxon was left out of this build",
    );
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/sdk\/text\.js used luxon's DateTime\.now/);
  });

  it('fails the build when a module outside the allow-list imports luxon', async () => {
    const message = await failure(
      buildFixture({
        'entry.js':
          "import { Text } from './sdk/text.js';\nimport { day } from './sdk/date.js';\nexport const f = () => Text.uid() + day();\n",
        'sdk/text.js': SDK_TEXT,
        'sdk/date.js': "import { Info } from 'luxon';\nexport function day() { return Info.weekdays()[0]; }\n",
      }),
    );
    expect(message).toMatch(/sdk\/date\.js \(in out\.mjs\) imports luxon's Info and is not on the allow-list/);
  });

  it('fails the build when bundled code mentions a member that reaches luxon, directly or through another member', async () => {
    const direct = await failure(
      buildFixture({
        'entry.js': "import { Text } from './sdk/text.js';\nexport const f = () => Text.stamp();\n",
        'sdk/text.js': SDK_TEXT,
      }),
    );
    expect(direct).toMatch(/entry\.js \(in out\.mjs\) mentions stamp of sdk\/text\.js, which reach luxon/);
    const indirect = await failure(
      buildFixture({
        'entry.js': "import { Text } from './sdk/text.js';\nexport const f = () => Text.iso(1);\n",
        'sdk/text.js': SDK_TEXT,
      }),
    );
    expect(indirect).toMatch(/entry\.js \(in out\.mjs\) mentions iso of sdk\/text\.js/);
  });

  it('fails the build when an allowed importer imports more of luxon, or uses it when it loads', async () => {
    const more = SDK_TEXT.replace('{ DateTime }', '{ DateTime, Duration }').replace(
      '.toISO()',
      '.toISO() + Duration.name',
    );
    const extra = await failure(
      buildFixture({
        'entry.js': "import { Text } from './sdk/text.js';\nexport const f = () => Text.uid();\n",
        'sdk/text.js': more,
      }),
    );
    expect(extra).toMatch(/sdk\/text\.js \(in out\.mjs\) now imports luxon's Duration, beyond the allowed DateTime/);
    const atLoad = await failure(
      buildFixture({
        'entry.js': "import { Text } from './sdk/text.js';\nexport const f = () => Text.uid();\n",
        'sdk/text.js': `${SDK_TEXT}export const zone = DateTime.local().zoneName;\n`,
      }),
    );
    expect(atLoad).toMatch(/sdk\/text\.js \(in out\.mjs\) uses luxon when it loads/);
  });

  it('lets code declared off the path mention a luxon member, and fails once another module mentions a way into it', async () => {
    const files = {
      'sdk/text.js': SDK_TEXT,
      'sdk/console-log.js':
        "import { Text } from './text.js';\nexport class ConsoleLog { write(m) { console.info(Text.stamp(), m); } }\n",
      'sdk/factory.js':
        "import { ConsoleLog } from './console-log.js';\nexport const Factory = { quiet: () => null, loud: () => new ConsoleLog() };\n",
    };
    const offPath: NoLuxonOptions = {
      ...ALLOWED,
      offPath: [
        { members: ['stamp'], modules: ['sdk/console-log.js', 'sdk/factory.js'], entries: ['loud', 'ConsoleLog'] },
      ],
    };
    await expect(
      buildFixture(
        {
          ...files,
          'entry.js':
            "import { Factory } from './sdk/factory.js';\nexport const f = () => Factory.quiet();\nexport { Factory };\n",
        },
        offPath,
      ),
    ).resolves.toContain('quiet');
    const entered = await failure(
      buildFixture(
        {
          ...files,
          'entry.js': "import { Factory } from './sdk/factory.js';\nexport const f = () => Factory.loud();\n",
        },
        offPath,
      ),
    );
    expect(entered).toMatch(
      /entry\.js \(in out\.mjs\) mentions loud, a way into sdk\/console-log\.js, sdk\/factory\.js, where stamp reach luxon/,
    );
  });
});

describe('findLuxonUse', () => {
  const use = (code: string) => findLuxonUse(parseSync('m.js', code).program as unknown as AstNode);

  it('finds the members that reach luxon, through this.member calls and by class name for a constructor', () => {
    expect(
      use(`import { DateTime as D } from 'luxon';
class Clock { constructor() { this.t = D.now(); } }
class Fmt { day() { return this.#raw().day; } #raw() { return D.local(); } plain() { return 1; } }
function later() { return new Clock(); }
export { Clock, Fmt, later };`),
    ).toEqual({ bindings: ['DateTime'], members: ['#raw', 'Clock', 'day', 'later'], atLoad: false });
  });

  it('sees a dynamic import and a namespace import, and returns null for a module without luxon', () => {
    expect(use("export const load = () => import('luxon');")).toEqual({
      bindings: ['import()'],
      members: ['load'],
      atLoad: false,
    });
    expect(use("import * as L from 'luxon';\nstatic: { L.Settings.defaultZone = 'utc'; }")?.atLoad).toBe(true);
    expect(use("import { x } from 'not-luxon';\nexport const y = x;")).toBeNull();
  });
});
