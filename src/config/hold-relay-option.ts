import * as v from 'valibot';
import { EventTypeList } from '../contract/event-type-list.ts';
import type { HoldEventType } from '../hold/types.ts';
import { isRecord } from '../lib/is-record.ts';
import { entryLabel, type ConfigIssue } from './issues.ts';
import { readOptionValue } from './option-value.ts';
import { issuesOf } from './schema-issues.ts';

export { OPTION_NAME } from './option-value.ts';

export const DEFAULT_ON: readonly HoldEventType[] = ['hold.started', 'hold.ended'];
export const MAX_OUTPUTS = 20;

/** One entry of `outputs`, with the fields every output shares already checked. */
export interface OutputSpec {
  index: number;
  /** e.g. `outputs[2] (webhook)`: how logs name the entry. */
  label: string;
  type: string;
  /** As written; null: the output type's default. */
  on: readonly HoldEventType[] | null;
  /** The whole entry, for the output's own validation. */
  options: Record<string, unknown>;
}

export interface ParsedOption {
  outputs: OutputSpec[];
  /** Every problem found; an entry with a problem is left out, the rest still work. */
  issues: ConfigIssue[];
  /** The option as a whole is unusable: only the log output runs until an admin fixes it. */
  logOnly: boolean;
}

const LOG_ONLY: OutputSpec = { index: -1, label: 'default (log)', type: 'log', on: null, options: { type: 'log' } };

/** The fields every output has: its type, whether it is on, and which events it takes. */
export const CommonFields = v.object({
  type: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty')),
  enabled: v.optional(v.boolean('must be true or false')),
  on: v.optional(EventTypeList),
});

/**
 * Reads the holdRelay option: which outputs it names, and every problem of the option and of the
 * fields all outputs share. `knownTypes` are the output types this build has; each output checks
 * its own fields when it is built.
 */
export function parseHoldRelayOption(raw: unknown, knownTypes: readonly string[]): ParsedOption {
  const value = readOptionValue(raw);
  if (value.kind === 'missing' || (value.kind === 'ok' && value.outputs === undefined))
    return { outputs: [LOG_ONLY], issues: [], logOnly: false };
  if (value.kind === 'invalid') {
    const message = `${value.reason}; using the log output only until an admin fixes it`;
    return { outputs: [LOG_ONLY], issues: [{ index: null, type: null, field: '', message }], logOnly: true };
  }
  const list = value.outputs ?? [];
  const outputs: OutputSpec[] = [];
  const issues: ConfigIssue[] = [];
  list.slice(0, MAX_OUTPUTS).forEach((entry: unknown, index) => {
    const type = isRecord(entry) && typeof entry.type === 'string' ? entry.type : '?';
    if (!isRecord(entry)) {
      issues.push({ index, type, field: '', message: 'must be an object like {"type": "log"}' });
      return;
    }
    const found = issuesOf(CommonFields, entry).map((issue) => ({ index, type, ...issue }));
    if (found.length === 0 && !knownTypes.includes(type)) {
      found.push({ index, type, field: 'type', message: `must be one of ${knownTypes.join(', ')}` });
    }
    issues.push(...found);
    if (found.length > 0 || entry.enabled === false) return;
    outputs.push({
      index,
      label: entryLabel(index, type),
      type,
      on: (entry.on as HoldEventType[] | undefined) ?? null,
      options: entry,
    });
  });
  if (list.length > MAX_OUTPUTS) {
    issues.push({
      index: null,
      type: null,
      field: '',
      message: `option "holdRelay": only the first ${MAX_OUTPUTS} outputs are used`,
    });
  }
  return { outputs, issues, logOnly: false };
}
