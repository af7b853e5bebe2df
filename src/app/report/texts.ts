import { de } from './texts-de.ts';
import { en, type ReportTexts } from './texts-en.ts';
import { ru } from './texts-ru.ts';

export type { ReportTexts };
export { interpolate } from '../../i18n/messages.ts';

const LANGUAGES: Record<string, ReportTexts> = { en, ru, de };

/** The report's texts in the portal's language; English when it is not translated. */
export function reportTexts(lang: string): ReportTexts {
  return LANGUAGES[lang.toLowerCase()] ?? en;
}
