import * as v from 'valibot';
import type { ConfigIssue } from '../config/issues.ts';
import type { OutputSpec } from '../config/hold-relay-option.ts';
import { issuesOf } from '../config/schema-issues.ts';
import type { OutputDefinition } from './types.ts';

const COMMON = new Set(['type', 'enabled', 'on']);

/** An entry's own fields checked against its output's schema: the options to build it with, or every problem. */
export function checkOptions<T>(
  definition: OutputDefinition<T>,
  spec: Pick<OutputSpec, 'index' | 'type' | 'options'>,
): { ok: true; options: T } | { ok: false; issues: ConfigIssue[] } {
  const own = Object.fromEntries(Object.entries(spec.options).filter(([key]) => !COMMON.has(key)));
  const result = v.safeParse(definition.schema, own);
  if (result.success) return { ok: true, options: result.output };
  return {
    ok: false,
    issues: issuesOf(definition.schema, own).map((issue) => ({ index: spec.index, type: spec.type, ...issue })),
  };
}
