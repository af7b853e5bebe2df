// What the report says when it cannot show figures, each with what to do about it.
import { h } from '../dom.ts';
import { ApiError } from './report-api.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

export type Problem =
  { kind: 'stats-off' } | { kind: 'unreachable'; reason: string } | { kind: 'failed'; reason: string };

export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError && error.status === 0) return { kind: 'unreachable', reason: error.message };
  if (error instanceof ApiError && error.status === 404 && /statistics are off/.test(error.message))
    return { kind: 'stats-off' };
  return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
}

export function problemNotice(problem: Problem, t: ReportTexts, retry: () => void): HTMLElement {
  const text =
    problem.kind === 'stats-off'
      ? t.statsOff
      : problem.kind === 'unreachable'
        ? interpolate(t.unreachable, { reason: problem.reason })
        : interpolate(t.failed, { reason: problem.reason });
  return h(
    'div',
    {
      class: `notice report-notice ${problem.kind === 'stats-off' ? '' : 'bad'}`,
      role: 'alert',
      'data-testid': `notice-${problem.kind}`,
    },
    h('p', {}, text),
    problem.kind === 'stats-off'
      ? null
      : h('button', { type: 'button', class: 'btn btn-light', 'data-testid': 'report-retry', onclick: retry }, t.retry),
  );
}
