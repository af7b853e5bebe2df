import { isRecord } from '../lib/is-record.ts';

/** The application option that holds the configuration. */
export const OPTION_NAME = 'holdRelay';

/** The option as the portal stores it (a JSON string, an already-parsed object, or nothing), read once. */
export type OptionValue =
  | { kind: 'missing' }
  | { kind: 'invalid'; reason: string }
  /** `outputs` is the raw list (undefined when the key is absent); `extra` the other top-level keys. */
  | { kind: 'ok'; outputs: unknown[] | undefined; extra: Record<string, unknown> };

export function readOptionValue(raw: unknown): OptionValue {
  if (raw === undefined || raw === null || raw === '' || raw === false || (Array.isArray(raw) && raw.length === 0))
    return { kind: 'missing' };
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return { kind: 'invalid', reason: `option "${OPTION_NAME}" is not valid JSON (${(error as Error).message})` };
    }
  }
  if (!isRecord(value))
    return { kind: 'invalid', reason: `option "${OPTION_NAME}" must be a JSON object with an "outputs" array` };
  const { outputs, ...extra } = value;
  if (outputs !== undefined && !Array.isArray(outputs))
    return { kind: 'invalid', reason: `option "${OPTION_NAME}": "outputs" must be an array` };
  return { kind: 'ok', outputs, extra };
}

/**
 * Whether an option is set at all: what `app.option.get` answers for one option (its value) or for
 * all of them (an object keyed by name) both count.
 */
export function hasOption(value: unknown): boolean {
  if (isRecord(value) && !('outputs' in value)) {
    return OPTION_NAME in value ? hasOption(value[OPTION_NAME]) : Object.keys(value).length > 0;
  }
  return readOptionValue(value).kind !== 'missing';
}
