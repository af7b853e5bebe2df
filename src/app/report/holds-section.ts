// The report's holds: the longest or the most recent of the period (and line), of everyone or of
// the operator picked in the operator table, with a note when there are more than shown.
import { h } from '../dom.ts';
import { renderHolds } from './holds-table.ts';
import { nameOf } from './operator-table.ts';
import type { Directory } from './operators.ts';
import type { ReportPeriod } from './period.ts';
import type { HoldRow } from './report-api.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

export const HOLDS_SHOWN = 50;

export interface HoldsOptions {
  sort: 'longest' | 'recent';
  limit: number;
  userId: number | null;
}

export interface HoldsSection {
  element: HTMLElement;
  /** What the list asks the server for now. */
  options(): HoldsOptions;
  show(rows: readonly HoldRow[], period: ReportPeriod): Promise<void>;
  /** Shows one operator's holds (null: everyone's) and moves the focus to the list's title. */
  pick(userId: number | null): Promise<void>;
}

export interface HoldsDeps {
  t: ReportTexts;
  lang: string;
  directory: Directory;
  openPath: (path: string) => void;
  /** Asks for the holds of the report shown; null when the report changed meanwhile (nothing to show). */
  load: (options: HoldsOptions) => Promise<{ rows: HoldRow[]; period: ReportPeriod } | null>;
}

export function holdsSection({ t, lang, directory, openPath, load }: HoldsDeps): HoldsSection {
  let sort: HoldsOptions['sort'] = 'longest';
  let pickedUser: number | null = null;
  const options = (): HoldsOptions => ({ sort, limit: HOLDS_SHOWN, userId: pickedUser });
  const title = h('h2', { id: 'report-holds-title', tabindex: -1 });
  const table = h('table', { class: 'grid report-table', 'data-testid': 'holds-table' });
  const note = h('p', { class: 'hint', 'data-testid': 'holds-note' });
  const reload = async (): Promise<void> => {
    const answer = await load(options()).catch((error: unknown) => {
      note.textContent = interpolate(t.failed, { reason: String(error) });
      return null;
    });
    if (answer) await show(answer.rows, answer.period);
  };
  const sortButtons = (['longest', 'recent'] as const).map((key) =>
    h(
      'button',
      {
        type: 'button',
        class: 'seg',
        'data-testid': `holds-${key}`,
        'aria-pressed': String(key === sort),
        onclick: () => {
          sort = key;
          for (const b of sortButtons) b.setAttribute('aria-pressed', String(b.dataset.testid === `holds-${key}`));
          void reload();
        },
      },
      key === 'longest' ? t.holdsLongest : t.holdsRecent,
    ),
  );
  const everyone = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-light small-btn',
      'data-testid': 'holds-everyone',
      hidden: true,
      onclick: () => void pick(null),
    },
    t.holdsAll,
  );
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'report-holds-title', 'data-testid': 'holds-section' },
    h(
      'div',
      { class: 'section-head' },
      title,
      h(
        'div',
        { class: 'inline' },
        everyone,
        h('div', { class: 'segmented', role: 'group', 'aria-label': t.holdsTitle }, sortButtons),
      ),
    ),
    h('div', { class: 'table-scroll' }, table),
    note,
  );

  async function show(rows: readonly HoldRow[], period: ReportPeriod): Promise<void> {
    const people = await directory.load(rows.map((row) => row.userId));
    if (pickedUser !== null) {
      const name = nameOf(
        directory.get(pickedUser) ?? (await directory.load([pickedUser])).get(pickedUser),
        pickedUser,
      );
      title.textContent = `${t.holdsTitle} ${interpolate(t.holdsOf, { name })}`;
    } else title.textContent = t.holdsTitle;
    everyone.hidden = pickedUser === null;
    element.dataset.userId = pickedUser === null ? '' : String(pickedUser);
    renderHolds(table, { rows, people, tz: period.tz, withDate: !period.hourly }, t, lang, openPath);
    table.hidden = rows.length === 0;
    const which = sort === 'longest' ? t.holdsLongest.toLowerCase() : t.holdsRecent.toLowerCase();
    note.textContent =
      rows.length === 0
        ? t.holdsNone
        : rows.length >= HOLDS_SHOWN
          ? interpolate(t.holdsMore, { n: String(rows.length), which })
          : '';
  }

  async function pick(userId: number | null): Promise<void> {
    pickedUser = userId;
    await reload();
    if (userId !== null) title.focus();
  }

  return { element, options, show, pick };
}
