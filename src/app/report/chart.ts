// Hold minutes (bars) and holds (a line) per day or per hour, drawn by uPlot, which is loaded the
// first time a chart is shown. Colours come from the page's CSS, so the light and dark themes both
// read well; a hidden table gives screen readers the same figures.
import type uPlot from 'uplot';
import { h, setChildren } from '../dom.ts';
import { count, minutes } from './format.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

export interface ChartData {
  unit: 'hour' | 'day';
  /** One label per bucket: "09" or a short date. */
  labels: string[];
  heldMs: number[];
  holds: number[];
}

type UPlot = typeof uPlot;
let library: Promise<UPlot> | null = null;
const loadLibrary = (): Promise<UPlot> =>
  (library ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([module]) => {
    const loaded = module as unknown as { default?: UPlot };
    return loaded.default ?? (module as unknown as UPlot);
  }));

const css = (name: string, fallback: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

export interface ChartPanel {
  element: HTMLElement;
  update(data: ChartData): Promise<void>;
}

export function chartPanel(t: ReportTexts, lang: string): ChartPanel {
  const canvasHost = h('div', { class: 'chart-canvas', 'aria-hidden': 'true' });
  const table = h('table', { class: 'visually-hidden', 'data-testid': 'chart-table' });
  const summary = h('p', { class: 'visually-hidden' });
  const note = h('p', { class: 'hint', role: 'status' });
  const element = h(
    'section',
    { class: 'card report-chart', 'aria-labelledby': 'report-chart-title', 'data-testid': 'report-chart' },
    h('h2', { id: 'report-chart-title' }, t.chartTitle),
    h(
      'ul',
      { class: 'chart-legend', 'aria-hidden': 'true' },
      h('li', { class: 'legend-minutes' }, t.chartMinutes),
      h('li', { class: 'legend-holds' }, t.chartHolds),
    ),
    summary,
    canvasHost,
    table,
    note,
  );
  let plot: uPlot | null = null;
  let last: ChartData | null = null;

  const draw = async (data: ChartData): Promise<void> => {
    // uPlot draws later, where a missing 2D canvas (switched off, or a DOM without one) would throw unseen.
    if (!document.createElement('canvas').getContext('2d')) throw new Error('this browser draws no canvas');
    const UPlot = await loadLibrary();
    plot?.destroy();
    const width = Math.max(280, canvasHost.clientWidth || element.clientWidth - 40);
    const text = css('--chart-text', '#525c69');
    const grid = css('--chart-grid', '#e6eaed');
    const axis = {
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      font: '12px system-ui, sans-serif',
    };
    const xs = data.labels.map((_, i) => i);
    const options: uPlot.Options = {
      width,
      height: 220,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: [-0.6, Math.max(0.6, xs.length - 0.4)] },
        min: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        n: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        {
          ...axis,
          values: (_u, splits) => splits.map((i) => data.labels[Math.round(i)] ?? ''),
          space: data.unit === 'hour' ? 28 : 46,
        },
        { ...axis, scale: 'min', size: 48 },
        { ...axis, scale: 'n', side: 1, grid: { show: false }, size: 40 },
      ],
      series: [
        {},
        {
          label: t.chartMinutes,
          scale: 'min',
          fill: css('--chart-minutes', '#2fc6f6'),
          stroke: css('--chart-minutes', '#2fc6f6'),
          paths: UPlot.paths.bars?.({ size: [0.7, 48] }),
          points: { show: false },
        },
        {
          label: t.chartHolds,
          scale: 'n',
          stroke: css('--chart-holds', '#e89b00'),
          width: 2,
          points: { show: xs.length < 40, size: 5 },
        },
      ],
    };
    plot = new UPlot(options, [xs, data.heldMs.map((ms) => ms / 60_000), data.holds], canvasHost);
  };

  // Follow the theme and the width the page gives the chart.
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => void (last && draw(last)));
  let width = 0;
  new ResizeObserver(() => {
    if (last && plot && Math.abs(canvasHost.clientWidth - width) > 8) {
      width = canvasHost.clientWidth;
      plot.setSize({ width: Math.max(280, width), height: 220 });
    }
  }).observe(canvasHost);

  return {
    element,
    async update(data) {
      last = data;
      const unit = data.unit === 'hour' ? t.chartHour : t.chartDay;
      summary.textContent = interpolate(t.chartSummary, { unit: unit.toLowerCase() });
      setChildren(
        table,
        h('caption', {}, t.chartTitle),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, unit),
            h('th', { scope: 'col' }, t.chartMinutes),
            h('th', { scope: 'col' }, t.chartHolds),
          ),
        ),
        h(
          'tbody',
          {},
          data.labels.map((label, i) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, label),
              h('td', {}, minutes(data.heldMs[i] ?? 0, lang)),
              h('td', {}, count(data.holds[i] ?? 0, lang)),
            ),
          ),
        ),
      );
      note.textContent = '';
      try {
        await draw(data);
        element.dataset.drawn = String(data.labels.length);
      } catch (error) {
        note.textContent = interpolate(t.chartUnavailable, {
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    },
  };
}
