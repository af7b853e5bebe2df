// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { Figures } from '../../../../src/app/report/report-answer.ts';
import { renderTiles, TILE_KEYS } from '../../../../src/app/report/tiles.ts';
import { textsFor } from '../../../../src/app/i18n/index.ts';
import { REPORTS } from '../../../support/recorded-report.ts';

const ACCURACY = { absMs: 1000, relative: 0.05 };

function tiles(totals: Figures, lang = 'en', accuracy: typeof ACCURACY | null = ACCURACY) {
  const host = document.createElement('ul');
  renderTiles(host, totals, { t: textsFor(lang).report, lang, accuracy });
  const get = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  /** A tile's lines, as a reader sees them one under the other. */
  const text = (id: string) => {
    const tile = get(id);
    return tile
      ? [...tile.children]
          .filter((line) => !(line as HTMLElement).hidden)
          .map((line) => line.textContent?.replace(/[\u00a0\u202f]/g, ' '))
          .join(' | ')
      : null;
  };
  const value = (id: string) => get(id)?.querySelector('.tile-value')?.textContent ?? null;
  return { host, get, text, value };
}

describe('the report’s tiles', () => {
  it('show the hold share of talk with one decimal, the talk time it is a share of, and the calls counted apart', () => {
    const { get, text, value } = tiles(REPORTS.all.totals);
    expect(value('tile-holdShare')).toBe('15.4%');
    expect(get('tile-holdShare')?.dataset.value).toBe('0.1538');
    expect(get('tile-talkMs')?.dataset.value).toBe('520000');
    expect(text('tile-holdShare')).toBe(
      'Hold share of talk | 15.4% | of 8:40 talk | talk time unknown for 1 of the calls: counted apart',
    );
    expect(get('tile-apart')?.hidden).toBe(false);
  });

  it('say nothing of calls counted apart when every call’s talk time is known', () => {
    const { get } = tiles({ ...REPORTS.all.totals, callsWithoutTalk: 0 });
    expect(get('tile-apart')?.hidden).toBe(true);
    expect(get('tile-callsWithoutTalk')?.dataset.value).toBe('0');
  });

  it('show a dash, not 0 %, when no call’s talk time is known', () => {
    const { get, value } = tiles({ ...REPORTS.all.totals, talkMs: 0, holdShare: null, callsWithoutTalk: 5 });
    expect(value('tile-holdShare')).toBe('–');
    expect(get('tile-holdShare')?.dataset.value).toBe('null');
    expect(get('tile-callsWithoutTalk')?.textContent).toBe('5');
  });

  it('put the median right after the average, with the 9-in-10 length and how exact the server says both are', () => {
    const { host, value, get } = tiles({ ...REPORTS.all.totals, medianHeldMs: 31_000, p90HeldMs: 95_000 });
    const order = [...host.children].map((tile) => (tile as HTMLElement).dataset.testid);
    expect(order.indexOf('tile-medianHeldMs')).toBe(order.indexOf('tile-avgHeldMs') + 1);
    expect(value('tile-medianHeldMs')).toBe('0:31');
    expect(get('tile-p90HeldMs')?.textContent).toBe('1:35');
    expect(get('tile-accuracy')?.textContent).toBe('exact to ±1 sec or ±5%, whichever is larger');
  });

  it('state no accuracy when the server says the median is exact, and a dash for a median of no holds', () => {
    const { get, value } = tiles({ ...REPORTS.all.totals, medianHeldMs: null, p90HeldMs: null }, 'en', null);
    expect(get('tile-accuracy')).toBeNull();
    expect(value('tile-medianHeldMs')).toBe('–');
    expect(get('tile-p90HeldMs')?.textContent).toBe('–');
  });

  it('give every figure of the totals an element with its raw value, and no figure twice', () => {
    const { host, get } = tiles(REPORTS.all.totals);
    for (const [key, raw] of Object.entries(REPORTS.all.totals))
      expect(get(`tile-${key}`)?.dataset.value, key).toBe(String(raw));
    const ids = [...host.querySelectorAll<HTMLElement>('[data-testid^="tile-"][data-value]')].map(
      (element) => element.dataset.testid,
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(host.children).toHaveLength(TILE_KEYS.length);
  });

  it('read in Russian and German', () => {
    expect(tiles(REPORTS.all.totals, 'ru').text('tile-holdShare')).toBe(
      'Доля удержания в разговоре | 15,4 % | от 8:40 разговора | без известного времени разговора: 1 зв., учтены отдельно',
    );
    expect(tiles(REPORTS.all.totals, 'de').text('tile-medianHeldMs')).toBe(
      'Median des Haltens | 0:30 | 9 von 10 Halten unter 0:30 | genau auf ±1 Sek. oder ±5 %, je nachdem, was größer ist',
    );
  });
});
