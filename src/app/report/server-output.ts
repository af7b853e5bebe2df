// Whether the holdRelay option sends holds to the app's server, and the option with it added.
import { readOptionValue } from '../../config/option-value.ts';
import { isRecord } from '../../lib/is-record.ts';
import { OUTPUT_ROLES } from '../../outputs/index.ts';

export function hasServerOutput(raw: unknown): boolean {
  const option = readOptionValue(raw);
  return (
    option.kind === 'ok' &&
    (option.outputs ?? []).some(
      (output) => isRecord(output) && output.type === OUTPUT_ROLES.statistics && output.enabled !== false,
    )
  );
}

/**
 * The option with the statistics output added (or a disabled one switched on); everything else is
 * kept as it is. Without an option, the worker's default (log) is kept beside it. Null when the
 * option is not valid JSON: the admin must fix it in the settings first.
 */
export function withServerOutput(raw: unknown): string | null {
  const option = readOptionValue(raw);
  if (option.kind === 'invalid') return null;
  const outputs = option.kind === 'ok' ? [...(option.outputs ?? [])] : [{ type: OUTPUT_ROLES.unset }];
  const extra = option.kind === 'ok' ? option.extra : {};
  const disabled = outputs.findIndex((output) => isRecord(output) && output.type === OUTPUT_ROLES.statistics);
  if (disabled === -1) outputs.push({ type: OUTPUT_ROLES.statistics });
  else outputs[disabled] = { ...(outputs[disabled] as Record<string, unknown>), enabled: true };
  return JSON.stringify({ ...extra, outputs });
}
