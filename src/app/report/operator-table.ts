// The per-operator table: sortable by any column (buttons in the headers, aria-sort on the sorted
// one), each row's operator a button that shows their holds.
import type { Figures } from '../../contract/api.ts';
import { h, setChildren } from '../dom.ts';
import { clock, count } from './format.ts';
import type { Person } from './operators.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

export type OperatorRow = Figures & { userId: number };
/** The figures that are always a number (a median or a share may be null). */
type CountKey = { [K in keyof Figures]-?: Figures[K] extends number ? K : never }[keyof Figures];
export type SortKey = 'name' | CountKey;
export interface Sort {
  key: SortKey;
  descending: boolean;
}

const COLUMNS: { key: SortKey; label: (t: ReportTexts) => string; duration?: boolean }[] = [
  { key: 'name', label: (t) => t.colOperator },
  { key: 'calls', label: (t) => t.colCalls },
  { key: 'callsWithHolds', label: (t) => t.colCallsWithHolds },
  { key: 'holds', label: (t) => t.colHolds },
  { key: 'heldMs', label: (t) => t.colHeld, duration: true },
  { key: 'avgHeldMs', label: (t) => t.colAvg, duration: true },
  { key: 'longestHeldMs', label: (t) => t.colLongest, duration: true },
  { key: 'endedWithCall', label: (t) => t.colEnded },
];

export const nameOf = (person: Person | undefined, userId: number): string => person?.name ?? `#${userId}`;

/** Rows in the order of `sort`; ties by name, so the order is stable. */
export function sortRows(rows: readonly OperatorRow[], sort: Sort, people: ReadonlyMap<number, Person>, lang: string): OperatorRow[] {
  const collator = new Intl.Collator(lang === 'ua' ? 'uk' : lang);
  const name = (row: OperatorRow) => nameOf(people.get(row.userId), row.userId);
  return [...rows].sort((a, b) => {
    const primary = sort.key === 'name' ? collator.compare(name(a), name(b)) : a[sort.key] - b[sort.key];
    const order = sort.descending ? -primary : primary;
    return order !== 0 ? order : collator.compare(name(a), name(b));
  });
}

export interface OperatorTable {
  element: HTMLElement;
  update(rows: readonly OperatorRow[], people: ReadonlyMap<number, Person>): void;
}

export function operatorTable(t: ReportTexts, lang: string, onPick: (userId: number) => void): OperatorTable {
  let sort: Sort = { key: 'heldMs', descending: true };
  let rows: readonly OperatorRow[] = [];
  let people: ReadonlyMap<number, Person> = new Map();
  const table = h('table', { class: 'grid report-table', 'data-testid': 'operator-table' });
  const empty = h('p', { class: 'hint', 'data-testid': 'operators-empty' }, t.operatorsNone);
  const element = h('section', { class: 'card', 'aria-labelledby': 'report-operators-title' },
    h('h2', { id: 'report-operators-title' }, t.operatorsTitle),
    h('div', { class: 'table-scroll' }, table), empty,
  );

  const render = (focusKey?: SortKey) => {
    empty.hidden = rows.length > 0;
    table.hidden = rows.length === 0;
    const head = h('tr', {}, COLUMNS.map((column) => {
      const sorted = sort.key === column.key;
      const button = h('button', {
        type: 'button', class: 'sort', 'data-sort': column.key, 'aria-label': interpolate(t.sortBy, { column: column.label(t) }),
        onclick: () => {
          sort = { key: column.key, descending: sorted ? !sort.descending : column.key !== 'name' };
          render(column.key);
        },
      }, column.label(t), h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted ? (sort.descending ? '▼' : '▲') : ''));
      return h('th', { scope: 'col', class: column.key === 'name' ? '' : 'numeric', 'aria-sort': sorted ? (sort.descending ? 'descending' : 'ascending') : false }, button);
    }));
    const body = sortRows(rows, sort, people, lang).map((row) => {
      const person = people.get(row.userId);
      const name = nameOf(person, row.userId);
      return h('tr', { 'data-user-id': row.userId },
        h('th', { scope: 'row' },
          h('button', { type: 'button', class: 'person', 'aria-label': interpolate(t.showHoldsOf, { name }), onclick: () => onPick(row.userId) },
            avatar(person, name), h('span', { class: 'person-name' }, name))),
        COLUMNS.slice(1).map((column) => {
          const value = row[column.key as CountKey];
          return h('td', { class: 'numeric', 'data-col': column.key, 'data-value': value }, column.duration ? clock(value) : count(value, lang));
        }),
      );
    });
    setChildren(table, h('thead', {}, head), h('tbody', {}, body));
    if (focusKey) table.querySelector<HTMLButtonElement>(`button[data-sort="${focusKey}"]`)?.focus();
  };

  return {
    element,
    update(next, nextPeople) {
      rows = next;
      people = nextPeople;
      render();
    },
  };
}

/** The portal's photo, or the person's initials when they have none. */
export function avatar(person: Person | undefined, name: string): HTMLElement {
  if (person?.photo) return h('img', { class: 'avatar', src: person.photo, alt: '', width: 28, height: 28, loading: 'lazy', referrerpolicy: 'no-referrer' });
  const initials = name.startsWith('#') ? '?' : name.split(/\s+/).map((part) => part[0] ?? '').join('').slice(0, 2).toUpperCase();
  return h('span', { class: 'avatar initials', 'aria-hidden': 'true' }, initials);
}
