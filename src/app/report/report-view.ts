// The admin's hold report: period, tiles, chart, who is on hold now, operators and their holds,
// and the CSV. Everything comes from the server's report API; names and photos from the portal.
import { OPTION_NAME } from '../../config/option-value.ts';
import type { AppPortal } from '../app-connection.ts';
import { h, setChildren } from '../dom.ts';
import { chartPanel, type ChartData } from './chart.ts';
import { shortDay } from './format.ts';
import { renderHolds } from './holds-table.ts';
import { livePanel } from './live-panel.ts';
import { problemNotice, problemOf } from './notices.ts';
import { nameOf, operatorTable } from './operator-table.ts';
import type { Directory, Person } from './operators.ts';
import { daysBetween, PRESETS, resolvePeriod, type PeriodChoice, type Preset, type ReportPeriod } from './period.ts';
import type { HoldRow, Report, ReportApi } from './report-api.ts';
import { hasServerOutput } from './server-output.ts';
import { serverOutputNotice } from './server-notice.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';
import { renderTiles } from './tiles.ts';

export interface ReportDeps {
  portal: AppPortal;
  api: ReportApi;
  directory: Directory;
  t: ReportTexts;
  lang: string;
  tz: string;
  /** The holdRelay option was changed from the report (the server output added). */
  onOptionChanged: () => void;
  now?: () => number;
}

export interface ReportView {
  element: HTMLElement;
  dispose(): void;
}

const HOLDS_SHOWN = 50;

/** Chart buckets: every hour of the day, or every day of the period, with zeros where nothing happened. */
export function chartData(report: Report, period: ReportPeriod, lang: string): ChartData {
  if (period.hourly) {
    const byHour = new Map((report.hours ?? []).map((bucket) => [bucket.hour.slice(11, 13), bucket]));
    const hours = Array.from({ length: 24 }, (_, i) => String(i).padStart(2, '0'));
    return { unit: 'hour', labels: hours, heldMs: hours.map((hh) => byHour.get(hh)?.heldMs ?? 0), holds: hours.map((hh) => byHour.get(hh)?.holds ?? 0) };
  }
  const byDay = new Map(report.days.map((day) => [day.date, day]));
  const days = daysBetween(period.first, period.last);
  return { unit: 'day', labels: days.map((day) => shortDay(day, lang)), heldMs: days.map((day) => byDay.get(day)?.heldMs ?? 0), holds: days.map((day) => byDay.get(day)?.holds ?? 0) };
}

export function reportView(deps: ReportDeps): ReportView {
  const { portal, api, directory, t, lang, tz } = deps;
  const now = deps.now ?? Date.now;
  const openPath = (path: string) => portal.openPath(path);
  let choice: PeriodChoice = { preset: 'today' };
  let sort: 'longest' | 'recent' = 'longest';
  let pickedUser: number | null = null;
  let generation = 0;
  let current: { period: ReportPeriod; report: Report } | null = null;

  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': 'report-status' });
  const notices = h('div', { class: 'report-notices' });
  const tiles = h('ul', { class: 'tiles', 'data-testid': 'tiles', 'aria-label': t.title });
  const chart = chartPanel(t, lang);
  const live = livePanel({ t, directory, appOptions: portal.session.appOptions, rest: portal.rest });
  const operators = operatorTable(t, lang, (userId) => {
    pickedUser = userId;
    void loadHolds().then(() => holdsTitle.focus());
  });
  const holdsTitle = h('h2', { id: 'report-holds-title', tabindex: -1 });
  const holdsTable = h('table', { class: 'grid report-table', 'data-testid': 'holds-table' });
  const holdsNote = h('p', { class: 'hint', 'data-testid': 'holds-note' });
  const sortButtons = (['longest', 'recent'] as const).map((key) =>
    h('button', { type: 'button', class: 'seg', 'data-testid': `holds-${key}`, 'aria-pressed': String(key === sort), onclick: () => {
      sort = key;
      for (const b of sortButtons) b.setAttribute('aria-pressed', String(b.dataset.testid === `holds-${key}`));
      void loadHolds();
    } }, key === 'longest' ? t.holdsLongest : t.holdsRecent));
  const everyone = h('button', { type: 'button', class: 'btn btn-light small-btn', 'data-testid': 'holds-everyone', hidden: true, onclick: () => {
    pickedUser = null;
    void loadHolds();
  } }, t.holdsAll);
  const holdsSection = h('section', { class: 'card', 'aria-labelledby': 'report-holds-title', 'data-testid': 'holds-section' },
    h('div', { class: 'section-head' }, holdsTitle, h('div', { class: 'inline' }, everyone, h('div', { class: 'segmented', role: 'group', 'aria-label': t.holdsTitle }, sortButtons))),
    h('div', { class: 'table-scroll' }, holdsTable), holdsNote,
  );
  const body = h('div', { class: 'report-body', hidden: true },
    tiles,
    h('div', { class: 'report-columns' }, chart.element, live.element),
    operators.element,
    holdsSection,
  );

  // Period picker: presets as toggle buttons, a custom range with two dates.
  const presetButtons = PRESETS.map((preset) =>
    h('button', { type: 'button', class: 'seg', 'data-preset': preset, 'data-testid': `period-${preset}`, 'aria-pressed': String(preset === choice.preset), onclick: () => pick(preset) }, t.presets[preset] ?? preset));
  const today = resolvePeriod({ preset: 'today' }, now(), tz);
  const fromInput = h('input', { type: 'date', id: 'report-from', 'data-testid': 'custom-from', value: today?.first ?? '', max: today?.first ?? '' });
  const toInput = h('input', { type: 'date', id: 'report-to', 'data-testid': 'custom-to', value: today?.first ?? '', max: today?.first ?? '' });
  const customError = h('p', { class: 'field-error', hidden: true }, t.customInvalid);
  const custom = h('form', { class: 'custom-range', hidden: true, onsubmit: (event: Event) => {
    event.preventDefault();
    const next: PeriodChoice = { preset: 'custom', first: fromInput.value, last: toInput.value };
    customError.hidden = resolvePeriod(next, now(), tz) !== null;
    if (customError.hidden) {
      choice = next;
      void load();
    }
  } },
  h('label', { for: 'report-from' }, t.customFrom), fromInput,
  h('label', { for: 'report-to' }, t.customTo), toInput,
  h('button', { type: 'submit', class: 'btn btn-light', 'data-testid': 'custom-apply' }, t.customApply), customError);
  const exportButton = h('button', { type: 'button', class: 'btn btn-light', 'data-testid': 'export-csv', onclick: () => void exportCsv() }, t.exportCsv);
  const toolbar = h('div', { class: 'report-toolbar' },
    h('div', { class: 'segmented periods', role: 'group', 'aria-label': t.periodLabel }, presetButtons),
    exportButton,
  );

  const pick = (preset: Preset) => {
    for (const button of presetButtons) button.setAttribute('aria-pressed', String(button.dataset.preset === preset));
    custom.hidden = preset !== 'custom';
    if (preset === 'custom') {
      fromInput.focus();
      return;
    }
    choice = { preset };
    void load();
  };

  const element = h('section', { class: 'report', 'data-testid': 'report-view', 'aria-busy': 'true' },
    h('header', { class: 'page-head' }, h('div', {}, h('h1', {}, t.title), h('p', { class: 'lead' }, interpolate(t.lead, { tz })))),
    toolbar, custom, status, notices, body,
  );

  const peopleOf = (ids: number[]): Promise<Map<number, Person>> => directory.load(ids);

  async function loadHolds(): Promise<void> {
    if (!current) return;
    const { period } = current;
    const mine = generation;
    const rows = await api.holds(period, { sort, limit: HOLDS_SHOWN, userId: pickedUser }).catch((error: unknown) => {
      holdsNote.textContent = interpolate(t.failed, { reason: String(error) });
      return null;
    });
    if (!rows || mine !== generation) return;
    await showHolds(rows, period);
  }

  async function showHolds(rows: HoldRow[], period: ReportPeriod): Promise<void> {
    const people = await peopleOf(rows.map((row) => row.userId));
    if (pickedUser !== null) {
      const name = nameOf(directory.get(pickedUser) ?? (await peopleOf([pickedUser])).get(pickedUser), pickedUser);
      holdsTitle.textContent = `${t.holdsTitle} ${interpolate(t.holdsOf, { name })}`;
    } else holdsTitle.textContent = t.holdsTitle;
    everyone.hidden = pickedUser === null;
    holdsSection.dataset.userId = pickedUser === null ? '' : String(pickedUser);
    renderHolds(holdsTable, { rows, people, tz: period.tz, withDate: !period.hourly }, t, lang, openPath);
    holdsTable.hidden = rows.length === 0;
    holdsNote.textContent = rows.length === 0 ? t.holdsNone
      : rows.length >= HOLDS_SHOWN ? interpolate(t.holdsMore, { n: String(rows.length), which: sort === 'longest' ? t.holdsLongest.toLowerCase() : t.holdsRecent.toLowerCase() }) : '';
  }

  async function load(): Promise<void> {
    const period = resolvePeriod(choice, now(), tz);
    if (!period) return;
    const mine = ++generation;
    element.dataset.generation = String(mine);
    element.setAttribute('aria-busy', 'true');
    element.dataset.state = 'loading';
    status.textContent = t.loading;
    try {
      const [report, holds] = await Promise.all([api.report(period), api.holds(period, { sort, limit: HOLDS_SHOWN, userId: pickedUser })]);
      if (mine !== generation) return;
      const people = await peopleOf([...report.operators.map((row) => row.userId), ...holds.map((row) => row.userId)]);
      if (mine !== generation) return;
      current = { period, report };
      setChildren(notices, problemsFor(report));
      renderTiles(tiles, report.totals, t, lang);
      operators.update(report.operators, people);
      await showHolds(holds, period);
      body.hidden = false;
      const label = period.first === period.last ? period.first : `${period.first} – ${period.last}`;
      status.textContent = interpolate(t.loaded, { period: label });
      element.dataset.state = 'ready';
      element.dataset.from = period.from;
      element.dataset.to = period.to;
      element.dataset.tz = period.tz;
      element.setAttribute('aria-busy', 'false');
      void chart.update(chartData(report, period, lang)).then(() => {
        if (mine === generation) element.dataset.rendered = String(mine);
      });
    } catch (error) {
      if (mine !== generation) return;
      element.dataset.state = 'error';
      element.setAttribute('aria-busy', 'false');
      status.textContent = '';
      setChildren(notices, problemNotice(problemOf(error), t, () => void start()));
    }
  }

  const problemsFor = (report: Report): (HTMLElement | null)[] => [
    hasServerOutput(portal.session.appOptions[OPTION_NAME]) ? null
      : serverOutputNotice({ t, isAdmin: portal.session.isAdmin, appOptions: portal.session.appOptions, rest: portal.rest, onAdded: deps.onOptionChanged }),
    report.totals.calls === 0 && report.totals.holds === 0 ? h('p', { class: 'notice report-notice', 'data-testid': 'notice-no-holds' }, t.noHoldsYet) : null,
  ];

  async function exportCsv(): Promise<void> {
    if (!current) return;
    const { period } = current;
    exportButton.disabled = true;
    status.textContent = t.exporting;
    try {
      const csv = await api.csv(period);
      const file = `holds-${period.first}${period.first === period.last ? '' : `-${period.last}`}.csv`;
      const url = URL.createObjectURL(csv.file);
      const link = h('a', { href: url, download: file, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      status.textContent = interpolate(csv.named ? t.exported : t.exportedUnnamed, { file, n: String(csv.holds) });
    } catch (error) {
      status.textContent = interpolate(t.exportFailed, { reason: error instanceof Error ? error.message : String(error) });
    } finally {
      exportButton.disabled = false;
    }
  }

  let stopLive = (): void => undefined;
  async function start(): Promise<void> {
    setChildren(notices);
    status.textContent = t.loading;
    try {
      const { stats } = await api.status();
      if (!stats) {
        element.dataset.state = 'stats-off';
        element.setAttribute('aria-busy', 'false');
        status.textContent = '';
        setChildren(notices, problemNotice({ kind: 'stats-off' }, t, () => void start()));
        return;
      }
    } catch (error) {
      element.dataset.state = 'error';
      element.setAttribute('aria-busy', 'false');
      status.textContent = '';
      setChildren(notices, problemNotice(problemOf(error), t, () => void start()));
      return;
    }
    stopLive();
    stopLive = api.live((holding) => live.show(holding), (state) => live.state(state));
    await load();
  }
  void start();

  return {
    element,
    dispose() {
      stopLive();
      live.dispose();
    },
  };
}
