// The line picker: every line, or one, for the whole report. It offers every line the report has
// named in this page's life, so a line keeps its place while the report is narrowed to another.
import { h, setChildren } from '../dom.ts';
import { collatorFor } from './sortable-table.ts';
import type { ReportTexts } from '../i18n/index.ts';

export interface LinePicker {
  element: HTMLElement;
  /** The chosen line; null: every line. */
  value(): string | null;
  /** Adds lines the report named (null, an unknown line, cannot be chosen). */
  learn(lines: readonly (string | null)[]): void;
  /** Chooses a line as the admin would (the line table's buttons). */
  choose(lineNumber: string): void;
}

const EVERY = '';

export function linePicker(t: ReportTexts, lang: string, onChange: (lineNumber: string | null) => void): LinePicker {
  const known = new Set<string>();
  const collator = collatorFor(lang);
  const select = h('select', {
    id: 'report-line',
    'data-testid': 'line-picker',
    onchange: () => onChange(select.value === EVERY ? null : select.value),
  });
  const element = h(
    'div',
    { class: 'line-choice', hidden: true },
    h('label', { for: 'report-line' }, t.lineLabel),
    select,
  );

  const render = () => {
    const chosen = select.value;
    const lines = [...known].sort(collator.compare);
    setChildren(
      select,
      h('option', { value: EVERY }, t.lineEvery),
      lines.map((line) => h('option', { value: line }, line)),
    );
    select.value = chosen;
    // One line is no choice: the picker shows once the report has named a second.
    element.hidden = known.size < 2 && chosen === EVERY;
  };
  render();

  return {
    element,
    value: () => (select.value === EVERY ? null : select.value),
    learn(lines) {
      const before = known.size;
      for (const line of lines) if (line !== null && line !== '') known.add(line);
      if (known.size !== before) render();
    },
    choose(lineNumber) {
      known.add(lineNumber);
      render();
      select.value = lineNumber;
      element.hidden = false;
      select.focus();
      onChange(lineNumber);
    },
  };
}
