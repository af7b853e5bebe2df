// The period's headline figures, each a tile with its raw value in data-value (tests read it).
import type { Figures } from '../../contract/api.ts';
import { h, setChildren } from '../dom.ts';
import { clock, count, percent } from './format.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

export const TILE_KEYS = ['calls', 'callsWithHolds', 'holds', 'heldMs', 'avgHeldMs', 'longestHeldMs', 'endedWithCall'] as const satisfies readonly (keyof Figures)[];
const DURATIONS = new Set<string>(['heldMs', 'avgHeldMs', 'longestHeldMs']);

export function renderTiles(host: HTMLElement, totals: Figures, t: ReportTexts, lang: string): void {
  setChildren(host, TILE_KEYS.map((key) => {
    const value = totals[key];
    const shown = DURATIONS.has(key) ? clock(value) : count(value, lang);
    const extra = key === 'callsWithHolds' ? interpolate(t.tileShare, { share: percent(value, totals.calls, lang) })
      : key === 'endedWithCall' ? t.tileEndedHint : null;
    return h('li', { class: `tile tile-${key}${key === 'endedWithCall' && value > 0 ? ' warn' : ''}`, 'data-testid': `tile-${key}`, 'data-value': value },
      h('span', { class: 'tile-label' }, t.tiles[key] ?? key),
      h('strong', { class: 'tile-value' }, shown),
      extra ? h('span', { class: 'tile-extra' }, extra) : null,
    );
  }));
}
