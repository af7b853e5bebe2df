// The per-operator table: sortable by any column, each row's operator a button that shows their holds.
import { h } from '../dom.ts';
import { figureColumn, type FigureKey } from './figure-columns.ts';
import type { Person } from './operators.ts';
import type { Figures } from './report-answer.ts';
import { sortableTable, type Column } from './sortable-table.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

export type OperatorRow = Figures & { userId: number };

const FIGURES: readonly FigureKey[] = [
  'calls',
  'callsWithHolds',
  'holds',
  'heldMs',
  'avgHeldMs',
  'medianHeldMs',
  'longestHeldMs',
  'talkMs',
  'holdShare',
  'endedWithCall',
];

export const nameOf = (person: Person | undefined, userId: number): string => person?.name ?? `#${userId}`;

export interface OperatorTable {
  element: HTMLElement;
  update(rows: readonly OperatorRow[], people: ReadonlyMap<number, Person>): void;
}

export function operatorTable(t: ReportTexts, lang: string, onPick: (userId: number) => void): OperatorTable {
  let people: ReadonlyMap<number, Person> = new Map();
  const name = (row: OperatorRow) => nameOf(people.get(row.userId), row.userId);
  const head: Column<OperatorRow> = {
    key: 'name',
    label: t.colOperator,
    sortBy: name,
    cell: (row) =>
      h(
        'button',
        {
          type: 'button',
          class: 'person',
          'aria-label': interpolate(t.showHoldsOf, { name: name(row) }),
          onclick: () => onPick(row.userId),
        },
        avatar(people.get(row.userId), name(row)),
        h('span', { class: 'person-name' }, name(row)),
      ),
  };
  const table = sortableTable<OperatorRow>({
    t,
    lang,
    testId: 'operator-table',
    columns: [head, ...FIGURES.map((key) => figureColumn<OperatorRow>(key, t, lang))],
    sort: { key: 'heldMs', descending: true },
    rowAttributes: (row) => ({ 'data-user-id': row.userId }),
  });
  const empty = h('p', { class: 'hint', 'data-testid': 'operators-empty' }, t.operatorsNone);
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'report-operators-title' },
    h('h2', { id: 'report-operators-title' }, t.operatorsTitle),
    h('div', { class: 'table-scroll' }, table.element),
    empty,
  );
  return {
    element,
    update(rows, nextPeople) {
      people = nextPeople;
      empty.hidden = rows.length > 0;
      table.update(rows);
    },
  };
}

/** The portal's photo, or the person's initials when they have none. */
export function avatar(person: Person | undefined, name: string): HTMLElement {
  if (person?.photo)
    return h('img', {
      class: 'avatar',
      src: person.photo,
      alt: '',
      width: 28,
      height: 28,
      loading: 'lazy',
      referrerpolicy: 'no-referrer',
    });
  const initials = name.startsWith('#')
    ? '?'
    : name
        .split(/\s+/)
        .map((part) => part[0] ?? '')
        .join('')
        .slice(0, 2)
        .toUpperCase();
  return h('span', { class: 'avatar initials', 'aria-hidden': 'true' }, initials);
}
