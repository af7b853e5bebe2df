// The figure columns the operator and line tables share: how each is labelled and shown.
import { clock, count, share } from './format.ts';
import type { Figures } from './report-answer.ts';
import type { Column } from './sortable-table.ts';
import type { ReportTexts } from '../i18n/index.ts';

export type FigureKey = keyof Figures;
type Kind = 'count' | 'duration' | 'share';

const KINDS: Record<FigureKey, Kind> = {
  calls: 'count',
  callsWithHolds: 'count',
  holds: 'count',
  endedWithCall: 'count',
  callsWithoutTalk: 'count',
  heldMs: 'duration',
  avgHeldMs: 'duration',
  medianHeldMs: 'duration',
  p90HeldMs: 'duration',
  longestHeldMs: 'duration',
  talkMs: 'duration',
  holdShare: 'share',
};

const LABELS: Record<FigureKey, (t: ReportTexts) => string> = {
  calls: (t) => t.colCalls,
  callsWithHolds: (t) => t.colCallsWithHolds,
  holds: (t) => t.colHolds,
  heldMs: (t) => t.colHeld,
  avgHeldMs: (t) => t.colAvg,
  medianHeldMs: (t) => t.colMedian,
  p90HeldMs: (t) => t.colP90,
  longestHeldMs: (t) => t.colLongest,
  endedWithCall: (t) => t.colEnded,
  talkMs: (t) => t.colTalk,
  holdShare: (t) => t.colShare,
  callsWithoutTalk: (t) => t.colWithoutTalk,
};

/** The text of a figure in a cell: a count, m:ss, or a percent; a dash when it is unknown. */
export function shownFigure(key: FigureKey, value: number | null, lang: string): string {
  const kind = KINDS[key];
  if (kind === 'share') return share(value, lang);
  if (value === null) return '–';
  return kind === 'duration' ? clock(value) : count(value, lang);
}

export function figureColumn<Row extends Partial<Record<FigureKey, number | null>>>(
  key: FigureKey,
  t: ReportTexts,
  lang: string,
): Column<Row> {
  const value = (row: Row): number | null => row[key] ?? null;
  return { key, label: LABELS[key](t), sortBy: value, raw: value, cell: (row) => shownFigure(key, value(row), lang) };
}
