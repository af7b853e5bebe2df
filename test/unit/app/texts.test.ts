import { describe, expect, it } from 'vitest';
import { textsFor, WORKER_TITLES } from '../../../src/app/texts.ts';
import { catalog } from '../../support/catalog.ts';

const OUTPUT_TEXTS = /^(typeNames|typeHints|fieldLabels|fieldHints)\./;

/** Every text path with its value: nested records included, so a missing entry shows. */
function flatten(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => flatten(item, path ? `${path}.${key}` : key));
}

describe('the app page’s texts', () => {
  const en = flatten(textsFor('en'));

  it.each(['ru', 'de'])('has every English text in %s, with the same placeholders', (lang) => {
    const other = new Map(flatten(textsFor(lang)).filter(([path]) => !OUTPUT_TEXTS.test(path)));
    for (const [path, text] of en) {
      const translated = other.get(path);
      expect(translated, path).toBeTruthy();
      expect(translated?.match(/\{\w+\}/g)?.sort() ?? [], path).toEqual(text.match(/\{\w+\}/g)?.sort() ?? []);
    }
    expect(other.size).toBe(en.length);
  });

  it.each(['ru', 'de'])('translates the name, hint and every field label of each output in %s', (lang) => {
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

  it('falls back to English for a language it does not speak, whatever its case', () => {
    expect(textsFor('fr').code).toBe('en');
    expect(textsFor('DE').code).toBe('de');
  });

  it('gives the worker a title in every language it speaks', () => {
    expect(Object.keys(WORKER_TITLES).sort()).toEqual(['de', 'en', 'ru']);
  });
});
