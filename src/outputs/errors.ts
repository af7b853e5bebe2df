import type { BaseIssue } from 'valibot';

/** A configuration error that names the output and the field, so an admin knows what to fix. */
export class OutputConfigError extends Error {
  override name = 'OutputConfigError';
  constructor(
    readonly label: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${label}: ${field === '' ? '' : `field "${field}" `}${detail}; this output is disabled`);
  }
}

/** Turns the first valibot issue into an OutputConfigError. */
export function issueToError(label: string, issues: readonly BaseIssue<unknown>[]): OutputConfigError {
  const issue = issues[0];
  const field = issue?.path?.map((item) => String(item.key)).join('.') ?? '';
  return new OutputConfigError(label, field, issue?.message ?? 'is invalid');
}
