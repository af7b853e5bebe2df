// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedOutputs, OUTPUT_ROLES, outputTypes } from '../../../src/outputs/index.ts';

const SRC = resolve(import.meta.dirname, '../../../src');
/** Where a type name may stand: the outputs' own files and table; a demo configuration as an admin writes one; the missing-option rule of the contract. */
const MAY_NAME = [/^outputs\//, /^simulator\/demo-option\.ts$/, /^config\/hold-relay-option\.ts$/];

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

describe('output roles', () => {
  it('names every role by a type the table holds', () => {
    expect(Object.values(OUTPUT_ROLES).filter((type) => !outputTypes().includes(type))).toEqual([]);
    expect(installedOutputs(true)).toEqual([{ type: 'log' }, { type: 'callCard' }, { type: 'server' }]);
  });

  it('leaves output type names to the outputs: no other source file compares or writes one', () => {
    const names = outputTypes().join('|');
    const naming = new RegExp(`type\\s*(===|!==|:)\\s*'(${names})'`);
    const offenders = sources(SRC)
      .map((file) => relative(SRC, file))
      .filter(
        (file) => !MAY_NAME.some((allowed) => allowed.test(file)) && naming.test(readFileSync(join(SRC, file), 'utf8')),
      );
    expect(offenders).toEqual([]);
  });
});
