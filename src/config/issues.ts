/**
 * A configuration problem as data: which entry, which field, what is wrong. Text is made from it
 * only at the edge (a worker's log line, the app page's message under a field).
 */
export interface ConfigIssue {
  /** The entry's index in `outputs`, or null for the option as a whole. */
  index: number | null;
  /** The entry's `type` as written ('?' when it has none), or null for the option as a whole. */
  type: string | null;
  /** Dotted path inside the entry, e.g. `url` or `params.fields.COMMENT`; '' when no one field is at fault. */
  field: string;
  /** What is wrong, e.g. `must be an https: URL`. */
  message: string;
}

/** How logs and messages name an entry: `outputs[2] (webhook)`. */
export function entryLabel(index: number, type: string): string {
  return `outputs[${index}] (${type.slice(0, 40)})`;
}

/** The entry's top-level key at fault: `params` for `params.fields.COMMENT`. */
export function topField(issue: ConfigIssue): string {
  return issue.field.split('.')[0] ?? '';
}

/** The one sentence every config problem is written as, in the log and on the app page alike. */
export function issueText(issue: ConfigIssue): string {
  if (issue.index === null) return issue.message;
  const field = issue.field === '' ? '' : `field "${issue.field}" `;
  return `${entryLabel(issue.index, issue.type ?? '?')}: ${field}${issue.message}; this output is disabled`;
}
