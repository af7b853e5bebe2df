// A build plugin that leaves luxon out of a bundle whose code never runs it. Every `import ... from
// 'luxon'` resolves to a stand-in whose exports throw (and log) an error naming the importing module
// and what it touched. At build time it fails when luxon could be reached after all: a module not on
// the allow-list imports luxon, an allowed one imports more of it or uses it when it loads, or another
// module of the bundle mentions a member of an allowed one that reaches luxon.
import { relative, sep } from 'node:path';
import { parseSync, type Plugin } from 'vite';
import { findLuxonUse, mentionedNames, type AstNode, type LuxonUse } from './luxon-use.ts';

export interface NoLuxonOptions {
  /**
   * The modules that may import luxon in this bundle, each with the luxon exports it may import.
   * A module is named by its path after the last `node_modules/`, or relative to the build's root.
   */
  importers: Record<string, readonly string[]>;
  /** Code of the bundle that reaches luxon but cannot run, each case decided by reading the code. */
  offPath?: readonly OffPath[];
}

/**
 * Modules that mention members reaching luxon, and the only names that lead into them. The build fails
 * when any other module of the bundle mentions one of those names: the code may then run after all.
 */
export interface OffPath {
  /** The luxon-reaching members these modules may mention. */
  members: readonly string[];
  /** The modules that mention them, and the modules on the way to them. */
  modules: readonly string[];
  /** The names through which code outside `modules` would reach them (constructors, factory methods). */
  entries: readonly string[];
}

const STUB = '\0no-luxon:';
const RUNTIME = '\0no-luxon-runtime';
/** luxon 3's exports; a binding outside them is added from what the importer asks for. */
const LUXON_EXPORTS = [
  'DateTime',
  'Duration',
  'Interval',
  'Info',
  'Zone',
  'FixedOffsetZone',
  'IANAZone',
  'InvalidZone',
  'SystemZone',
  'Settings',
  'VERSION',
];
const MAY_IMPORT_LUXON = /['"]luxon(?:\/[^'"]*)?['"]/;

// The stand-in's one helper. `console.error` as well as the throw: the SDK swallows some rejections.
const RUNTIME_CODE = `export function poison(binding, caller) {
  const fail = (what) => {
    const error = new Error(caller + " used luxon's " + binding + what + ", but luxon was left out of this build (src/build/no-luxon.ts)");
    console.error(error);
    throw error;
  };
  return new Proxy(function () {}, {
    get: (_target, key) => fail("." + String(key)),
    apply: () => fail("()"),
    construct: () => fail(" with new"),
  });
}
`;

export function noLuxon(options: NoLuxonOptions): Plugin {
  let root = process.cwd();
  const uses = new Map<string, LuxonUse>();
  const nameOf = (id: string): string => {
    const at = id.lastIndexOf('/node_modules/');
    return at >= 0 ? id.slice(at + '/node_modules/'.length) : relative(root, id).split(sep).join('/');
  };

  return {
    name: 'no-luxon',
    apply: 'build',
    enforce: 'pre',
    configResolved(config) {
      root = config.root;
    },
    resolveId(source, importer) {
      if (source === 'luxon' || source.startsWith('luxon/'))
        return { id: `${STUB}${importer ? nameOf(importer) : 'an entry'}`, moduleSideEffects: false };
      return source === RUNTIME ? { id: RUNTIME, moduleSideEffects: false } : null;
    },
    load(id) {
      if (id === RUNTIME) return RUNTIME_CODE;
      if (!id.startsWith(STUB)) return null;
      const caller = id.slice(STUB.length);
      const names = new Set(
        [...LUXON_EXPORTS, ...(uses.get(caller)?.bindings ?? [])].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n)),
      );
      const lines = [...names].map(
        (n) => `export const ${n} = /* @__PURE__ */ poison(${JSON.stringify(n)}, ${JSON.stringify(caller)});`,
      );
      return `import { poison } from ${JSON.stringify(RUNTIME)};\n${lines.join('\n')}\n`;
    },
    transform(code, id) {
      if (id.startsWith('\0') || !MAY_IMPORT_LUXON.test(code)) return null;
      const use = findLuxonUse(parseSync(id.replace(/\?.*$/, ''), code).program as unknown as AstNode);
      if (use) uses.set(nameOf(id), use);
      return null;
    },
    generateBundle(_output, bundle) {
      const problems: string[] = [];
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const rendered = Object.entries(chunk.modules)
          .filter(([id, m]) => m.renderedLength > 0 && !id.startsWith('\0'))
          .map(([id, m]) => ({ name: nameOf(id), code: m.code ?? '' }));
        const importers = rendered.flatMap(({ name }) => {
          const use = uses.get(name);
          return use ? [{ name, use }] : [];
        });
        for (const { name, use } of importers) {
          const allowed = options.importers[name];
          const where = `${name} (in ${chunk.fileName})`;
          if (!allowed)
            problems.push(
              `${where} imports luxon's ${use.bindings.join(', ')} and is not on the allow-list of luxon importers`,
            );
          else {
            const extra = use.bindings.filter((b) => !allowed.includes(b));
            if (extra.length > 0)
              problems.push(
                `${where} now imports luxon's ${extra.join(', ')}, beyond the allowed ${allowed.join(', ') || 'nothing'}`,
              );
          }
          if (use.atLoad) problems.push(`${where} uses luxon when it loads`);
        }
        const offPath = options.offPath ?? [];
        for (const module of rendered) {
          const names = mentionedNames(parseSync(`${module.name}.js`, module.code).program as unknown as AstNode);
          for (const { name, use } of importers) {
            if (name === module.name || !options.importers[name]) continue;
            const excused = (member: string) =>
              offPath.some((p) => p.modules.includes(module.name) && p.members.includes(member));
            const reached = use.members.filter((m) => names.has(m) && !excused(m));
            if (reached.length > 0)
              problems.push(
                `${module.name} (in ${chunk.fileName}) mentions ${reached.join(', ')} of ${name}, which reach luxon`,
              );
          }
          for (const p of offPath) {
            const entered = p.modules.includes(module.name) ? [] : p.entries.filter((e) => names.has(e));
            if (entered.length > 0)
              problems.push(
                `${module.name} (in ${chunk.fileName}) mentions ${entered.join(', ')}, a way into ${p.modules.join(', ')}, where ${p.members.join(', ')} reach luxon`,
              );
          }
        }
      }
      if (problems.length > 0) {
        this.error(
          `luxon is left out of this build, but the bundle may now run it:\n- ${problems.join('\n- ')}\nRead the code: if it is off the path, add it to the plugin's options; if not, the bundle needs the real luxon.`,
        );
      }
    },
  };
}
