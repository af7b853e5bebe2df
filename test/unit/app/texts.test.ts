import { describe, expect, it } from 'vitest';
import { en } from '../../../src/app/i18n/en.ts';
import { missingTexts, textsFor, TRANSLATIONS, WORKER_TITLES } from '../../../src/app/i18n/index.ts';
import { catalog } from '../../support/catalog.ts';

const OUTPUT_TEXTS = /^(typeNames|typeHints|fieldLabels|fieldHints)\./;

/** Every text path with its value: nested records included, so a missing entry shows. */
function flatten(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
    flatten(item, path ? `${path}.${key}` : key),
  );
}

const holes = (text: string | undefined): string[] => (text?.match(/\{\w+\}/g) ?? []).sort();

describe('the app page’s texts', () => {
  const languages = Object.keys(TRANSLATIONS);

  it("are translated into Russian, German and Ukrainian (Bitrix24's `ua`), as the call card is", () => {
    expect([...languages].sort()).toEqual(['de', 'ru', 'ua']);
  });

  // The list in a failure names every text the language shows in English.
  it.each(languages)('lack no English text in %s (settings, report and webhooks alike)', (lang) => {
    expect(missingTexts(TRANSLATIONS[lang] ?? {})).toEqual([]);
  });

  it('name the texts a language lacks, nested ones by their path', () => {
    expect(missingTexts({ report: { tiles: { calls: 'Anrufe' } } })).toEqual(
      expect.arrayContaining(['title', 'report.title', 'report.tiles.holds', 'webhooks.title']),
    );
    expect(missingTexts({ report: { tiles: { calls: 'Anrufe' } } })).not.toContain('report.tiles.calls');
    expect(missingTexts(en)).toEqual([]);
  });

  it.each(languages)('fill in the same placeholders in %s as in English, and add no text English lacks', (lang) => {
    const other = new Map(flatten(textsFor(lang)).filter(([path]) => !OUTPUT_TEXTS.test(path)));
    for (const [path, text] of flatten(en)) expect(holes(other.get(path)), `${lang} ${path}`).toEqual(holes(text));
    expect(other.size).toBe(flatten(en).length);
  });

  it.each(languages)('translate the name, hint and every field label of each output in %s', (lang) => {
    const t = textsFor(lang);
    for (const type of catalog.types) {
      expect(t.typeNames[type], type).toBeTruthy();
      expect(t.typeHints[type], type).toBeTruthy();
      for (const field of catalog.get(type)?.fields ?? []) {
        expect(t.fieldLabels[`${type}.${field.key}`] ?? t.fieldLabels[field.key], field.key).toBeTruthy();
        if (field.hint) expect(t.fieldHints[`${type}.${field.key}`] ?? t.fieldHints[field.key], field.key).toBeTruthy();
      }
    }
  });

  it('fall back to English for a language it does not speak, whatever its case', () => {
    expect(textsFor('fr').code).toBe('en');
    expect(textsFor('fr')).toBe(en);
    expect(textsFor('fr').report).toBe(en.report);
    expect(textsFor('DE').code).toBe('de');
    expect(textsFor('uk').code).toBe('ua');
  });

  it('show the English text for one a translation lacks, and the translation for the rest', () => {
    const de = TRANSLATIONS.de ?? {};
    const t = textsFor('de');
    expect(t.report.title).toBe(de.report?.title);
    expect(t.report.title).not.toBe(en.report.title);
    expect(t.webhooks.statuses.pending).toBe(de.webhooks?.statuses?.pending);
  });

  it('give the worker a title in every language it speaks', () => {
    expect(Object.keys(WORKER_TITLES).sort()).toEqual(['de', 'en', 'ru', 'ua']);
    expect(WORKER_TITLES.ru?.DESCRIPTION).toMatch(/карточке звонка/);
  });
});
