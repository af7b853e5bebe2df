// The per-line table: each line's figures, sortable by any column; a line's number is a button
// that narrows the whole report to it.
import { h } from '../dom.ts';
import { figureColumn, type FigureKey } from './figure-columns.ts';
import type { LineRow } from './report-answer.ts';
import { sortableTable, type Column } from './sortable-table.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

const FIGURES: readonly FigureKey[] = [
  'calls',
  'holds',
  'heldMs',
  'avgHeldMs',
  'medianHeldMs',
  'talkMs',
  'holdShare',
  'endedWithCall',
];

export interface LineTable {
  element: HTMLElement;
  update(rows: readonly LineRow[]): void;
}

export function lineTable(t: ReportTexts, lang: string, onPick: (lineNumber: string) => void): LineTable {
  const head: Column<LineRow> = {
    key: 'line',
    label: t.colLine,
    sortBy: (row) => row.lineNumber ?? '',
    cell: (row) =>
      row.lineNumber === null
        ? h('span', { class: 'line-unknown' }, t.lineUnknown)
        : h(
            'button',
            {
              type: 'button',
              class: 'link line-pick',
              'data-testid': 'line-pick',
              'aria-label': interpolate(t.lineOnly, { line: row.lineNumber }),
              onclick: () => onPick(row.lineNumber ?? ''),
            },
            row.lineNumber,
          ),
  };
  const table = sortableTable<LineRow>({
    t,
    lang,
    testId: 'line-table',
    columns: [head, ...FIGURES.map((key) => figureColumn<LineRow>(key, t, lang))],
    sort: { key: 'calls', descending: true },
    rowAttributes: (row) => ({ 'data-line': row.lineNumber ?? '' }),
  });
  const empty = h('p', { class: 'hint', 'data-testid': 'lines-empty' }, t.linesNone);
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'report-lines-title', 'data-testid': 'lines-section' },
    h('h2', { id: 'report-lines-title' }, t.linesTitle),
    h('div', { class: 'table-scroll' }, table.element),
    empty,
  );
  return {
    element,
    update(rows) {
      empty.hidden = rows.length > 0;
      table.update(rows);
    },
  };
}
