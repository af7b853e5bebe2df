import { MAX_OUTPUTS, parseHoldRelayOption } from '../config/hold-relay-option.ts';
import type { Logger } from '../log/logger.ts';
import { OutputConfigError } from '../outputs/errors.ts';
import type { OutputContext } from '../outputs/types.ts';
import type { PortalPort } from '../portal/types.ts';
import { withoutKey } from './option-form.ts';
import { factoryFor, KNOWN_TYPES } from './outputs.ts';

/**
 * Checks a holdRelay option with the worker's own parser and output factories, so the admin reads,
 * before saving, exactly the error a worker frame would log. The worker reports the first problem
 * of an entry; here each problem field is set aside in turn to find the next one too.
 */

export interface FieldIssue {
  /** The entry's index in `outputs`, or null for the option as a whole. */
  index: number | null;
  /** The entry's top-level key at fault ('on' for "on.0"), or '' when it is not one field. */
  field: string;
  /** What is wrong, e.g. `must be an https: URL (…)`. */
  detail: string;
  /** The line a worker frame would log, e.g. `outputs[2] (webhook): field "url" must be …; this output is disabled`. */
  message: string;
}

const MAX_ROUNDS = 12;
/** Stand-ins for required fields found invalid, so that the next problem of the entry shows. */
const VALID_STAND_INS: Record<string, unknown> = { url: 'https://example.invalid/', method: 'app.info' };
const SUFFIX = '; this output is disabled';

const silent: Logger = { info() {}, warn() {}, error() {} };
const offline: PortalPort = {
  session: { lang: 'en', domain: '', origin: '', memberId: null, isAdmin: false, placement: 'DEFAULT', appOptions: {} },
  command: async () => ({ ok: false, error: 'not connected' }),
  rest: async () => ({ ok: false, error: 'NOT_CONNECTED', description: '', status: 0 }),
  operatorToken: async () => null,
};

export function validateOption(option: unknown): FieldIssue[] {
  const parsed = parseHoldRelayOption(option);
  const issues: FieldIssue[] = parsed.errors
    .filter((error) => !error.startsWith('outputs['))
    .map((error) => ({ index: null, field: '', detail: error, message: error }));
  const list = outputsOf(option);
  list.slice(0, MAX_OUTPUTS).forEach((entry, index) => {
    const common = commonIssues(list, index);
    issues.push(...common);
    const spec = parsed.outputs.find((output) => output.label.startsWith(`outputs[${index}] (`));
    if (common.length === 0 && spec) issues.push(...ownIssues(entry as Record<string, unknown>, spec.label, spec.type, index));
  });
  return issues;
}

function outputsOf(option: unknown): unknown[] {
  let value = option;
  if (typeof option === 'string') {
    try {
      value = JSON.parse(option);
    } catch {
      return [];
    }
  }
  const list = value !== null && typeof value === 'object' ? (value as { outputs?: unknown }).outputs : undefined;
  return Array.isArray(list) ? list : [];
}

/** The label parseHoldRelayOption gives entry `index`. */
function labelOf(entry: unknown, index: number): string {
  const type = typeof (entry as { type?: unknown } | null)?.type === 'string' ? (entry as { type: string }).type : '?';
  return `outputs[${index}] (${type.slice(0, 40)})`;
}

/** type, enabled, on: what the option's parser checks for every entry. */
function commonIssues(list: unknown[], index: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const label = labelOf(list[index], index);
  let entry = list[index];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const probe = list.map((item, i) => (i === index ? entry : item));
    const error = parseHoldRelayOption({ outputs: probe }).errors.find((e) => e.startsWith(`${label}: `));
    if (error === undefined) break;
    const issue = toIssue(index, label, error);
    if (issues.some((known) => known.field === issue.field)) break;
    issues.push(issue);
    if (issue.field === '' || issue.field === 'type' || typeof entry !== 'object' || entry === null) break;
    entry = withoutKey(entry as Record<string, unknown>, issue.field);
  }
  return issues;
}

/** The output's own options, checked by its factory; the built output is disposed at once. */
function ownIssues(entry: Record<string, unknown>, label: string, type: string, index: number): FieldIssue[] {
  const factory = factoryFor(type);
  if (!factory) {
    const detail = `must be one of ${KNOWN_TYPES.join(', ')}`;
    return [{ index, field: 'type', detail, message: `${label}: field "type" ${detail}${SUFFIX}` }];
  }
  const issues: FieldIssue[] = [];
  let options = entry;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    try {
      factory(options, context(label)).dispose?.();
      break;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const field = error instanceof OutputConfigError ? (error.field.split('.')[0] ?? '') : '';
      const issue = error instanceof OutputConfigError ? toIssue(index, label, message) : { index, field, detail: message, message };
      if (issues.some((known) => known.field === issue.field)) break;
      issues.push(issue);
      if (field === '') break;
      options = field in VALID_STAND_INS ? { ...options, [field]: VALID_STAND_INS[field] } : withoutKey(options, field);
    }
  }
  return issues;
}

function toIssue(index: number, label: string, message: string): FieldIssue {
  let rest = message.startsWith(`${label}: `) ? message.slice(label.length + 2) : message;
  const named = /^field "([^"]*)" /.exec(rest);
  if (named) rest = rest.slice(named[0].length);
  if (rest.endsWith(SUFFIX)) rest = rest.slice(0, -SUFFIX.length);
  return { index, field: (named?.[1] ?? '').split('.')[0] ?? '', detail: rest, message };
}

function context(label: string): OutputContext {
  return { portal: offline, log: silent, label, now: Date.now, holdFailed: () => undefined };
}
