// The admin's hold report: period and line, tiles, chart, who is on hold now, operators, lines,
// holds and the CSV; the line chosen narrows every one of them but "on hold now", whose live holds
// name no line. Everything comes from the server's report API; names and photos from the portal.
import { OPTION_NAME } from '../../config/option-value.ts';
import { h, setChildren } from '../dom.ts';
import { chartPanel, type ChartData } from './chart.ts';
import { exportHolds } from './csv-export.ts';
import { shortDay } from './format.ts';
import { holdsSection } from './holds-section.ts';
import { livePanel } from './live-panel.ts';
import { problemNotice, problemOf } from './notices.ts';
import { operatorTable } from './operator-table.ts';
import type { Person } from './operators.ts';
import { linePicker } from './line-picker.ts';
import { lineTable } from './line-table.ts';
import { daysBetween, type ReportPeriod } from './period.ts';
import { periodPicker } from './period-picker.ts';
import type { Report } from './report-api.ts';
import { hasServerOutput } from './server-output.ts';
import { serverOutputNotice } from './server-notice.ts';
import { interpolate } from '../i18n/index.ts';
import { renderTiles } from './tiles.ts';
import type { ReportViewDeps } from './my-holds-view.ts';

export interface ReportDeps extends ReportViewDeps {
  /** The holdRelay option was changed from the report (the server output added). */
  onOptionChanged: () => void;
  now?: () => number;
}

export interface ReportView {
  element: HTMLElement;
  dispose(): void;
}

/** Chart buckets: every hour of the day, or every day of the period, with zeros where nothing happened. */
export function chartData(report: Report, period: ReportPeriod, lang: string): ChartData {
  if (period.hourly) {
    const byHour = new Map((report.hours ?? []).map((bucket) => [bucket.hour.slice(11, 13), bucket]));
    const hours = Array.from({ length: 24 }, (_, i) => String(i).padStart(2, '0'));
    return {
      unit: 'hour',
      labels: hours,
      heldMs: hours.map((hh) => byHour.get(hh)?.heldMs ?? 0),
      holds: hours.map((hh) => byHour.get(hh)?.holds ?? 0),
    };
  }
  const byDay = new Map(report.days.map((day) => [day.date, day]));
  const days = daysBetween(period.first, period.last);
  return {
    unit: 'day',
    labels: days.map((day) => shortDay(day, lang)),
    heldMs: days.map((day) => byDay.get(day)?.heldMs ?? 0),
    holds: days.map((day) => byDay.get(day)?.holds ?? 0),
  };
}

export function reportView(deps: ReportDeps): ReportView {
  const { portal, api, directory, t, lang, tz } = deps;
  const now = deps.now ?? Date.now;
  const periods = periodPicker({ t, tz, now, onChange: () => void load() });
  const lines = linePicker(t, lang, () => void load());
  let generation = 0;
  let current: { period: ReportPeriod; lineNumber: string | null; report: Report } | null = null;

  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': 'report-status' });
  const notices = h('div', { class: 'report-notices' });
  const tiles = h('ul', { class: 'tiles', 'data-testid': 'tiles', 'aria-label': t.title });
  const chart = chartPanel(t, lang);
  const live = livePanel({ t, directory, appOptions: portal.session.appOptions, rest: portal.rest });
  const operators = operatorTable(t, lang, (userId) => void holds.pick(userId));
  const lineRows = lineTable(t, lang, (lineNumber) => lines.choose(lineNumber));
  const holds = holdsSection({
    t,
    lang,
    directory,
    openPath: (path) => portal.openPath(path),
    load: async (options) => {
      if (!current) return null;
      const { period, lineNumber } = current;
      const mine = generation;
      const rows = await api.holds(period, { ...options, lineNumber });
      return mine === generation ? { rows, period } : null;
    },
  });
  const body = h(
    'div',
    { class: 'report-body', hidden: true },
    tiles,
    h('div', { class: 'report-columns' }, chart.element, live.element),
    operators.element,
    lineRows.element,
    holds.element,
  );

  const exportButton = h(
    'button',
    { type: 'button', class: 'btn btn-light', 'data-testid': 'export-csv', onclick: () => void exportCsv() },
    t.exportCsv,
  );
  const toolbar = h(
    'div',
    { class: 'report-toolbar' },
    periods.presets,
    h('div', { class: 'inline' }, lines.element, exportButton),
  );

  const element = h(
    'section',
    { class: 'report', 'data-testid': 'report-view', 'aria-busy': 'true' },
    h(
      'header',
      { class: 'page-head' },
      h('div', {}, h('h1', {}, t.title), h('p', { class: 'lead' }, interpolate(t.lead, { tz }))),
    ),
    toolbar,
    periods.custom,
    status,
    notices,
    body,
  );

  const peopleOf = (ids: number[]): Promise<Map<number, Person>> => directory.load(ids);

  async function load(): Promise<void> {
    const period = periods.period();
    if (!period) return;
    const lineNumber = lines.value();
    const mine = ++generation;
    element.dataset.generation = String(mine);
    element.setAttribute('aria-busy', 'true');
    element.dataset.state = 'loading';
    status.textContent = t.loading;
    try {
      const [report, rows] = await Promise.all([
        api.report(period, { lineNumber }),
        api.holds(period, { ...holds.options(), lineNumber }),
      ]);
      if (mine !== generation) return;
      const people = await peopleOf([...report.operators.map((row) => row.userId), ...rows.map((row) => row.userId)]);
      if (mine !== generation) return;
      current = { period, lineNumber, report };
      setChildren(notices, problemsFor(report));
      renderTiles(tiles, report.totals, { t, lang, accuracy: report.quantileAccuracy });
      operators.update(report.operators, people);
      lines.learn(report.lines.map((line) => line.lineNumber));
      lineRows.update(report.lines);
      await holds.show(rows, period);
      body.hidden = false;
      const label = period.first === period.last ? period.first : `${period.first} – ${period.last}`;
      status.textContent =
        lineNumber === null
          ? interpolate(t.loaded, { period: label })
          : interpolate(t.loadedLine, { period: label, line: lineNumber });
      element.dataset.state = 'ready';
      element.dataset.from = period.from;
      element.dataset.to = period.to;
      element.dataset.tz = period.tz;
      element.dataset.line = lineNumber ?? '';
      element.setAttribute('aria-busy', 'false');
      void chart.update(chartData(report, period, lang)).then(() => {
        if (mine === generation) element.dataset.rendered = String(mine);
      });
    } catch (error) {
      if (mine === generation) showProblem('error', problemOf(error));
    }
  }

  /** The report cannot be shown: why, and a button to try again. */
  function showProblem(state: string, problem: Parameters<typeof problemNotice>[0]): void {
    element.dataset.state = state;
    element.setAttribute('aria-busy', 'false');
    status.textContent = '';
    setChildren(
      notices,
      problemNotice(problem, t, () => void start()),
    );
  }

  const problemsFor = (report: Report): (HTMLElement | null)[] => [
    hasServerOutput(portal.session.appOptions[OPTION_NAME])
      ? null
      : serverOutputNotice({
          t,
          isAdmin: portal.session.isAdmin,
          appOptions: portal.session.appOptions,
          rest: portal.rest,
          onAdded: deps.onOptionChanged,
        }),
    report.totals.calls === 0 && report.totals.holds === 0
      ? h('p', { class: 'notice report-notice', 'data-testid': 'notice-no-holds' }, t.noHoldsYet)
      : null,
  ];

  async function exportCsv(): Promise<void> {
    if (!current) return;
    const { period, lineNumber } = current;
    exportButton.disabled = true;
    status.textContent = t.exporting;
    try {
      const { file, holds: n, named } = await exportHolds(api, period, lineNumber);
      status.textContent = interpolate(named ? t.exported : t.exportedUnnamed, { file, n: String(n) });
    } catch (error) {
      status.textContent = interpolate(t.exportFailed, {
        reason: error instanceof Error ? error.message : String(error),
      });
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
      if (!stats) return showProblem('stats-off', { kind: 'stats-off' });
    } catch (error) {
      return showProblem('error', problemOf(error));
    }
    stopLive();
    stopLive = api.live(
      (holding) => live.show(holding),
      (state) => live.state(state),
    );
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
