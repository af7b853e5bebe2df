// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { figureColumn } from '../../../../src/app/report/figure-columns.ts';
import { lineTable } from '../../../../src/app/report/line-table.ts';
import { operatorTable } from '../../../../src/app/report/operator-table.ts';
import type { LineRow } from '../../../../src/app/report/report-answer.ts';
import { collatorFor, sortRowsBy, type Column } from '../../../../src/app/report/sortable-table.ts';
import { textsFor } from '../../../../src/app/i18n/index.ts';
import { REPORTS } from '../../../support/recorded-report.ts';

const [SALES, SUPPORT] = REPORTS.all.lines as [LineRow, LineRow];
const gridOf = (element: HTMLElement): HTMLTableElement => {
  const table = element.querySelector('table');
  if (!table) throw new Error('no table');
  return table;
};

const t = textsFor('en').report;
const cells = (table: Element, key: string) =>
  [...table.querySelectorAll<HTMLElement>(`tbody td[data-col="${key}"]`)].map((td) => td.textContent);

describe('the operator and line tables', () => {
  it('sort a share that is unknown below every known one, either way, ties by the first column', () => {
    const rows: LineRow[] = [
      { ...SALES, lineNumber: 'b', holdShare: 0.2 },
      { ...SALES, lineNumber: 'a', holdShare: null },
      { ...SALES, lineNumber: 'c', holdShare: 0.2 },
    ];
    const columns: Column<LineRow>[] = [
      { key: 'line', label: 'Line', sortBy: (row) => row.lineNumber, cell: () => '' },
      figureColumn<LineRow>('holdShare', t, 'en'),
    ];
    const order = (descending: boolean) =>
      sortRowsBy(rows, columns, { key: 'holdShare', descending }, collatorFor('en')).map((row) => row.lineNumber);
    expect(order(true)).toEqual(['b', 'c', 'a']);
    expect(order(false)).toEqual(['a', 'b', 'c']);
  });

  it('show each operator’s talk time, hold share and median beside the hold figures', () => {
    const table = operatorTable(t, 'en', () => undefined);
    table.update(REPORTS.all.operators, new Map([[7, { id: 7, name: 'Anna Operator', photo: '' }]]));
    const grid = gridOf(table.element);
    expect([...grid.querySelectorAll('thead button')].map((button) => button.textContent)).toEqual([
      'Operator',
      'Calls',
      'Calls with a hold',
      'Holds',
      'Hold time▼',
      'Average',
      'Median',
      'Longest',
      'Talk time',
      'Hold share',
      'Hung up on hold',
    ]);
    expect(cells(grid, 'talkMs')).toEqual(['6:40', '2:00']);
    expect(cells(grid, 'holdShare')).toEqual(['12.5%', '25.0%']);
    expect(cells(grid, 'medianHeldMs')).toEqual(['0:25', '0:30']);
    expect(grid.querySelector('tbody tr[data-user-id="8"] th')?.textContent).toContain('#8');
  });

  it('list each line with its figures, and narrow the report to a line when its number is pressed', () => {
    const picked: string[] = [];
    const table = lineTable(t, 'en', (line) => picked.push(line));
    table.update([...REPORTS.all.lines, { ...SUPPORT, lineNumber: null, calls: 1, holdShare: null }]);
    const grid = gridOf(table.element);
    expect([...grid.querySelectorAll('tbody tr')].map((tr) => (tr as HTMLElement).dataset.line)).toEqual([
      'reg151083',
      'reg2002',
      '',
    ]);
    expect(cells(grid, 'holdShare')).toEqual(['12.5%', '25.0%', '–']);
    expect(cells(grid, 'talkMs')).toEqual(['6:40', '2:00', '2:00']);
    expect(grid.querySelector('tbody tr[data-line=""] th')?.textContent).toBe('Line unknown');
    expect(grid.querySelectorAll('[data-testid="line-pick"]')).toHaveLength(2);
    grid.querySelector<HTMLButtonElement>('tr[data-line="reg2002"] [data-testid="line-pick"]')?.click();
    expect(picked).toEqual(['reg2002']);
  });

  it('say so when no line had a call', () => {
    const table = lineTable(t, 'en', () => undefined);
    table.update([]);
    expect(table.element.querySelector<HTMLElement>('[data-testid="lines-empty"]')?.hidden).toBe(false);
    expect(table.element.querySelector('table')?.hidden).toBe(true);
  });
});
