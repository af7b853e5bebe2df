// A table of figures sortable by any column: buttons in the headers, aria-sort on the sorted one,
// the first column the rows' headings. The operator and the line tables are both one.
import { h, setChildren, type Child } from '../dom.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

export interface Column<Row> {
  key: string;
  label: string;
  /** What the column sorts by: text (by the language's collation) or a number; null sorts below every number. */
  sortBy(row: Row): string | number | null;
  /** The cell's content. */
  cell(row: Row): Child | Child[];
  /** A figure's raw value, for the cell's data-value (tests read it). */
  raw?(row: Row): number | null;
}

export interface Sort {
  key: string;
  descending: boolean;
}

export interface SortableTable<Row> {
  element: HTMLTableElement;
  update(rows: readonly Row[]): void;
}

export interface TableOptions<Row> {
  t: ReportTexts;
  lang: string;
  testId: string;
  /** The first column heads each row (a `th`); the rest are numbers. */
  columns: readonly Column<Row>[];
  sort: Sort;
  /** Attributes of a row's `tr` (a key tests and scripts find it by). */
  rowAttributes(row: Row): Record<string, string | number>;
}

export const collatorFor = (lang: string): Intl.Collator => new Intl.Collator(lang === 'ua' ? 'uk' : lang);

/** Rows in the order of `sort`; ties by the first column, so the order is stable. Unknown values sort below every number. */
export function sortRowsBy<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  sort: Sort,
  collator: Intl.Collator,
): Row[] {
  const compare = (a: string | number | null, b: string | number | null): number => {
    if (typeof a === 'string' || typeof b === 'string') return collator.compare(String(a ?? ''), String(b ?? ''));
    if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
    return a - b;
  };
  const by = columns.find((column) => column.key === sort.key) ?? columns[0];
  const head = columns[0];
  if (!by || !head) return [...rows];
  return [...rows].sort((a, b) => {
    const primary = compare(by.sortBy(a), by.sortBy(b));
    const order = sort.descending ? -primary : primary;
    return order !== 0 ? order : compare(head.sortBy(a), head.sortBy(b));
  });
}

export function sortableTable<Row>(options: TableOptions<Row>): SortableTable<Row> {
  const { t, columns } = options;
  const collator = collatorFor(options.lang);
  let sort = options.sort;
  let rows: readonly Row[] = [];
  const table = h('table', { class: 'grid report-table', 'data-testid': options.testId });
  const [head, ...figures] = columns;

  const render = (focusKey?: string) => {
    const headings = h(
      'tr',
      {},
      columns.map((column, i) => {
        const sorted = sort.key === column.key;
        const button = h(
          'button',
          {
            type: 'button',
            class: 'sort',
            'data-sort': column.key,
            'aria-label': interpolate(t.sortBy, { column: column.label }),
            onclick: () => {
              sort = { key: column.key, descending: sorted ? !sort.descending : i > 0 };
              render(column.key);
            },
          },
          column.label,
          h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted ? (sort.descending ? '▼' : '▲') : ''),
        );
        return h(
          'th',
          {
            scope: 'col',
            class: i === 0 ? '' : 'numeric',
            'aria-sort': sorted ? (sort.descending ? 'descending' : 'ascending') : false,
          },
          button,
        );
      }),
    );
    const body = sortRowsBy(rows, columns, sort, collator).map((row) =>
      h(
        'tr',
        options.rowAttributes(row),
        head ? h('th', { scope: 'row' }, head.cell(row)) : null,
        figures.map((column) => {
          const value = column.raw?.(row) ?? null;
          return h(
            'td',
            { class: 'numeric', 'data-col': column.key, 'data-value': value === null ? 'null' : value },
            column.cell(row),
          );
        }),
      ),
    );
    setChildren(table, h('thead', {}, headings), h('tbody', {}, body));
    if (focusKey) table.querySelector<HTMLButtonElement>(`button[data-sort="${focusKey}"]`)?.focus();
  };

  return {
    element: table,
    update(next) {
      rows = next;
      table.hidden = rows.length === 0;
      render();
    },
  };
}
