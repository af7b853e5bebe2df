// A user who is not an admin sees their own holds of today: the API gives them nothing else.
import type { AppPortal } from '../app-connection.ts';
import { h, setChildren } from '../dom.ts';
import { clock } from './format.ts';
import { renderHolds } from './holds-table.ts';
import { problemNotice, problemOf } from './notices.ts';
import type { Directory } from './operators.ts';
import { resolvePeriod } from './period.ts';
import type { ReportApi } from './report-api.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

const MAX_SHOWN = 1000;

/** What a view of the report needs: the portal, the server's report API, names, texts, language and zone. */
export interface ReportViewDeps {
  portal: AppPortal;
  api: ReportApi;
  directory: Directory;
  t: ReportTexts;
  lang: string;
  tz: string;
}

export function myHoldsView(deps: ReportViewDeps): HTMLElement {
  const { api, directory, t, lang, tz } = deps;
  const summary = h('p', { class: 'lead', role: 'status', 'data-testid': 'my-summary' }, t.loading);
  const table = h('table', { class: 'grid report-table', 'data-testid': 'holds-table', hidden: true });
  const notices = h('div', { class: 'report-notices' });
  const element = h(
    'section',
    { class: 'report mine', 'data-testid': 'my-holds-view' },
    h(
      'header',
      { class: 'page-head' },
      h('div', {}, h('h1', {}, t.myTitle), h('p', { class: 'lead' }, interpolate(t.myLead, { tz }))),
    ),
    notices,
    h('section', { class: 'card' }, summary, h('div', { class: 'table-scroll' }, table)),
  );
  const load = async () => {
    const period = resolvePeriod({ preset: 'today' }, Date.now(), tz);
    if (!period) return;
    setChildren(notices);
    try {
      const rows = await api.holds(period, { sort: 'recent', limit: MAX_SHOWN });
      const people = await directory.load([...new Set(rows.map((row) => row.userId))]);
      const ended = rows.filter((row) => row.heldMs !== null).map((row) => row.heldMs ?? 0);
      summary.textContent =
        rows.length === 0
          ? t.holdsNone
          : interpolate(t.myCount, {
              n: String(rows.length),
              total: clock(ended.reduce((a, b) => a + b, 0)),
              longest: clock(Math.max(0, ...ended)),
            });
      renderHolds(table, { rows, people, tz, withDate: false }, t, lang, (path) => deps.portal.openPath(path));
      table.hidden = rows.length === 0;
      element.dataset.state = 'ready';
    } catch (error) {
      summary.textContent = '';
      element.dataset.state = 'error';
      setChildren(
        notices,
        problemNotice(problemOf(error), t, () => void load()),
      );
    }
  };
  void load();
  return element;
}
