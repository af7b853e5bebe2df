import { describe, expect, it } from 'vitest';
import { reportTexts } from '../../../../src/app/report/texts.ts';

const paths = (value: unknown, path = ''): string[] =>
  typeof value === 'string' ? [path] : Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => paths(item, path ? `${path}.${key}` : key));

describe('the report’s texts', () => {
  it('are translated into Russian and German, every one, with the same placeholders', () => {
    const en = reportTexts('en');
    for (const lang of ['ru', 'de']) {
      const other = reportTexts(lang);
      expect(paths(other).sort()).toEqual(paths(en).sort());
      for (const path of paths(en)) {
        const get = (texts: unknown) => path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], texts) as string;
        const holes = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
        expect(holes(get(other)), `${lang} ${path}`).toEqual(holes(get(en)));
      }
    }
    expect(reportTexts('fr')).toBe(en);
  });
});
