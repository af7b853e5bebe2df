import { de } from './texts-de.ts';
import { en, type WebhookTexts } from './texts-en.ts';
import { ru } from './texts-ru.ts';

export type { WebhookTexts } from './texts-en.ts';

const LANGUAGES: Record<string, WebhookTexts> = { en, ru, de };

/** The panel's texts in the portal's language; English when it is not translated. */
export function webhookTextsFor(lang: string): WebhookTexts {
  return LANGUAGES[lang.toLowerCase()] ?? en;
}
