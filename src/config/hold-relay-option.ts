import * as v from 'valibot';
import { HOLD_EVENT_TYPES, type HoldEventType } from '../hold/types.ts';

/** The application option that holds the configuration (CONTRACT.md). */
export const OPTION_NAME = 'holdRelay';
export const DEFAULT_ON: readonly HoldEventType[] = ['hold.started', 'hold.ended'];
export const MAX_OUTPUTS = 20;
/** The card must tell the operator when a confirmed hold failed, so callCard takes hold.failed unless told otherwise. */
const DEFAULT_ON_BY_TYPE: Record<string, readonly HoldEventType[]> = { callCard: [...DEFAULT_ON, 'hold.failed'] };

/** One entry of `outputs`, with the fields every output shares already checked. */
export interface OutputSpec {
  /** e.g. `outputs[2] (webhook)`: how logs and errors name the entry. */
  label: string;
  type: string;
  on: readonly HoldEventType[];
  /** The whole entry, for the output's own validation. */
  options: Record<string, unknown>;
}

export interface ParsedOption {
  outputs: OutputSpec[];
  /** One message per problem; an entry with a problem is left out, the rest still work. */
  errors: string[];
}

const LOG_ONLY: OutputSpec = { label: 'default (log)', type: 'log', on: DEFAULT_ON, options: { type: 'log' } };

const Common = v.object({
  type: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty')),
  enabled: v.optional(v.boolean('must be true or false')),
  on: v.optional(
    v.pipe(
      v.array(v.picklist(HOLD_EVENT_TYPES, `must list event types from: ${HOLD_EVENT_TYPES.join(', ')}`), 'must be an array'),
      v.minLength(1, 'must list at least one event type'),
    ),
  ),
}, 'must be an object like {"type": "log"}');

/** Reads the option as the portal stores it: a JSON string, or an already-parsed object. */
export function parseHoldRelayOption(raw: unknown): ParsedOption {
  if (raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0)) {
    return { outputs: [LOG_ONLY], errors: [] };
  }
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return fallback(`option "${OPTION_NAME}" is not valid JSON (${(error as Error).message})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fallback(`option "${OPTION_NAME}" must be a JSON object with an "outputs" array`);
  }
  const list = (value as { outputs?: unknown }).outputs;
  if (list === undefined) return { outputs: [LOG_ONLY], errors: [] };
  if (!Array.isArray(list)) return fallback(`option "${OPTION_NAME}": "outputs" must be an array`);

  const outputs: OutputSpec[] = [];
  const errors: string[] = [];
  list.slice(0, MAX_OUTPUTS).forEach((entry: unknown, index) => {
    const type = typeof (entry as { type?: unknown } | null)?.type === 'string' ? (entry as { type: string }).type : '?';
    const label = `outputs[${index}] (${type.slice(0, 40)})`;
    const parsed = v.safeParse(Common, entry);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const field = issue.path?.map((item) => String(item.key)).join('.') ?? '';
      errors.push(`${label}: ${field ? `field "${field}" ` : ''}${issue.message}; this output is disabled`);
      return;
    }
    if (parsed.output.enabled === false) return;
    outputs.push({ label, type, on: parsed.output.on ?? DEFAULT_ON_BY_TYPE[type] ?? DEFAULT_ON, options: entry as Record<string, unknown> });
  });
  if (list.length > MAX_OUTPUTS) errors.push(`option "${OPTION_NAME}": only the first ${MAX_OUTPUTS} outputs are used`);
  return { outputs, errors };
}

function fallback(error: string): ParsedOption {
  return { outputs: [LOG_ONLY], errors: [`${error}; using the log output only until an admin fixes it`] };
}
