// The app page's one text lookup: a table per language (en.ts is the source of every key), any text
// a language lacks taken from English. The worker never imports this: its call-card texts are in
// src/i18n, so the page's tables stay out of the worker's bundle.
import { de } from './de.ts';
import { en, type Texts } from './en.ts';
import { ru } from './ru.ts';
import { ua } from './ua.ts';
import type { Translation } from './types.ts';

export { interpolate } from '../../i18n/messages.ts';
export type { Texts, Translation };
export type ReportTexts = Texts['report'];
export type WebhookTexts = Texts['webhooks'];

/** The translations by portal language code (LANG, lower case; Bitrix24 calls Ukrainian `ua`). */
export const TRANSLATIONS: Readonly<Record<string, Translation>> = { ru, de, ua };
/** Codes a portal or a browser may give for a language that is here under another code. */
const ALIASES: Readonly<Record<string, string>> = { uk: 'ua' };

/** Texts an output's definition gives in English itself: English keeps these records empty. */
const FROM_DEFINITIONS = new Set(['typeNames', 'typeHints', 'fieldLabels', 'fieldHints']);

function withFallback(english: unknown, translated: unknown): unknown {
  if (translated === undefined || translated === null) return english;
  if (typeof english !== 'object' || english === null || typeof translated !== 'object') return translated;
  const merged: Record<string, unknown> = { ...(english as Record<string, unknown>) };
  for (const [key, value] of Object.entries(translated)) merged[key] = withFallback(merged[key], value);
  return merged;
}

const merged = new Map<string, Texts>([['en', en]]);

/** Texts for a portal language code, whatever its case; English for a language not translated, and for any text a language lacks. */
export function textsFor(lang: string): Texts {
  const code = ALIASES[lang.toLowerCase()] ?? lang.toLowerCase();
  const known = merged.get(code);
  if (known) return known;
  const translation = Object.hasOwn(TRANSLATIONS, code) ? TRANSLATIONS[code] : undefined;
  if (!translation) return en;
  const texts = withFallback(en, translation) as Texts;
  merged.set(code, texts);
  return texts;
}

/** The paths (`report.tiles.calls`) of English texts a translation lacks: what its readers see in English. */
export function missingTexts(translation: Translation): string[] {
  const walk = (english: unknown, translated: unknown, path: string): string[] => {
    if (typeof english === 'string') return typeof translated === 'string' && translated !== '' ? [] : [path];
    return Object.entries(english as Record<string, unknown>).flatMap(([key, value]) =>
      path === '' && FROM_DEFINITIONS.has(key)
        ? []
        : walk(value, (translated as Record<string, unknown> | undefined)?.[key], path ? `${path}.${key}` : key),
    );
  };
  return walk(en, translation, '');
}

/** The worker's title and description per language, as placement.bind takes them (LANG_ALL). */
export const WORKER_TITLES: Record<string, { TITLE: string; DESCRIPTION: string }> = Object.fromEntries(
  ['en', ...Object.keys(TRANSLATIONS)].map((lang) => {
    const t = textsFor(lang);
    return [lang, { TITLE: t.placementTitle, DESCRIPTION: t.placementDescription }];
  }),
);
