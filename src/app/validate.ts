import { MAX_OUTPUTS, parseHoldRelayOption } from '../config/hold-relay-option.ts';
import type { ConfigIssue } from '../config/issues.ts';
import { checkOptions } from '../outputs/check-options.ts';
import type { OutputCatalog } from './catalog.ts';

/**
 * Every problem of a holdRelay option, found by the worker's own parser and each output's own
 * schema, so the admin reads before saving exactly what a worker frame would log, for every field at once.
 */
export function validateOption(option: unknown, catalog: OutputCatalog): ConfigIssue[] {
  const parsed = parseHoldRelayOption(option, catalog.types);
  const issues = [...parsed.issues];
  for (const spec of parsed.outputs) {
    const definition = spec.index >= 0 && spec.index < MAX_OUTPUTS ? catalog.get(spec.type) : undefined;
    if (!definition) continue;
    const checked = checkOptions(definition, spec);
    if (!checked.ok) issues.push(...checked.issues);
  }
  return issues;
}
