// The period's headline figures, each a tile. Every figure of the totals is in an element with
// `data-testid="tile-<key>"` and its raw value in data-value ("null" when unknown): tests read them.
// The hold share tile carries the talk time and the calls counted apart; the median tile the p90
// and how exact the server says both are.
import { h, setChildren, type Child } from '../dom.ts';
import { clock, count, maybeClock, percent, seconds, share } from './format.ts';
import type { Figures, QuantileAccuracy } from './report-answer.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

/** The tiles in the order shown; the talk time, the p90 and the calls without talk sit inside them. */
export const TILE_KEYS = [
  'calls',
  'callsWithHolds',
  'holds',
  'endedWithCall',
  'heldMs',
  'holdShare',
  'avgHeldMs',
  'medianHeldMs',
  'longestHeldMs',
] as const satisfies readonly (keyof Figures)[];
/** Figures shown inside another tile. */
export const INNER_KEYS = ['talkMs', 'p90HeldMs', 'callsWithoutTalk'] as const satisfies readonly (keyof Figures)[];

export interface TileContext {
  t: ReportTexts;
  lang: string;
  /** How exact the median and p90 are; null: exact. */
  accuracy: QuantileAccuracy | null;
}

const raw = (value: number | null): string => (value === null ? 'null' : String(value));

/** A figure inside a tile's extra line, findable by its key. */
const inner = (key: (typeof INNER_KEYS)[number], value: number | null, shown: string): HTMLElement =>
  h('span', { class: 'tile-figure', 'data-testid': `tile-${key}`, 'data-value': raw(value) }, shown);

/** "{talk}" in a sentence, filled with an element instead of text. */
function sentence(template: string, name: string, figure: HTMLElement): Child[] {
  const [before = '', after = ''] = template.split(`{${name}}`);
  return [before, figure, after];
}

export function accuracyText(accuracy: QuantileAccuracy, t: ReportTexts, lang: string): string {
  return interpolate(t.tileAccuracy, { abs: seconds(accuracy.absMs, lang), rel: percent(accuracy.relative, 1, lang) });
}

function extraOf(key: (typeof TILE_KEYS)[number], totals: Figures, { t, lang, accuracy }: TileContext): Child[] {
  switch (key) {
    case 'callsWithHolds':
      return [
        h(
          'span',
          { class: 'tile-extra' },
          interpolate(t.tileShare, { share: percent(totals.callsWithHolds, totals.calls, lang) }),
        ),
      ];
    case 'endedWithCall':
      return [h('span', { class: 'tile-extra' }, t.tileEndedHint)];
    case 'holdShare':
      return [
        h(
          'span',
          { class: 'tile-extra' },
          sentence(t.tileTalk, 'talk', inner('talkMs', totals.talkMs, clock(totals.talkMs))),
        ),
        h(
          'span',
          { class: 'tile-extra', 'data-testid': 'tile-apart', hidden: totals.callsWithoutTalk === 0 },
          sentence(
            t.tileWithoutTalk,
            'n',
            inner('callsWithoutTalk', totals.callsWithoutTalk, count(totals.callsWithoutTalk, lang)),
          ),
        ),
      ];
    case 'medianHeldMs':
      return [
        h(
          'span',
          { class: 'tile-extra' },
          sentence(t.tileP90, 'p90', inner('p90HeldMs', totals.p90HeldMs, maybeClock(totals.p90HeldMs))),
        ),
        accuracy
          ? h(
              'span',
              { class: 'tile-extra tile-hint', 'data-testid': 'tile-accuracy', title: t.tileAccuracyTitle },
              accuracyText(accuracy, t, lang),
            )
          : null,
      ];
    default:
      return [];
  }
}

function shownOf(key: (typeof TILE_KEYS)[number], totals: Figures, lang: string): string {
  switch (key) {
    case 'heldMs':
    case 'avgHeldMs':
    case 'longestHeldMs':
      return clock(totals[key]);
    case 'medianHeldMs':
      return maybeClock(totals.medianHeldMs);
    case 'holdShare':
      return share(totals.holdShare, lang);
    default:
      return count(totals[key], lang);
  }
}

export function renderTiles(host: HTMLElement, totals: Figures, context: TileContext): void {
  const { t, lang } = context;
  setChildren(
    host,
    TILE_KEYS.map((key) => {
      const value = totals[key];
      const warn = key === 'endedWithCall' && totals.endedWithCall > 0;
      return h(
        'li',
        { class: `tile tile-${key}${warn ? ' warn' : ''}`, 'data-testid': `tile-${key}`, 'data-value': raw(value) },
        h('span', { class: 'tile-label' }, t.tiles[key] ?? key),
        h('strong', { class: 'tile-value' }, shownOf(key, totals, lang)),
        extraOf(key, totals, context),
      );
    }),
  );
}
