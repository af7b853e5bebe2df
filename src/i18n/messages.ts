/** Texts the operator sees in the call card, in the portal's language. */
export interface CardTexts {
  /** `{time}` is replaced by the running hold time, e.g. 1:05. */
  onHold: string;
  /** `{reason}` is why the telephony side could not hold the call. */
  holdFailed: string;
}

const TEXTS: Record<string, CardTexts> = {
  en: { onHold: 'On hold {time}', holdFailed: 'Hold failed: {reason}' },
  ru: { onHold: 'На удержании {time}', holdFailed: 'Не удалось поставить на удержание: {reason}' },
  de: { onHold: 'Gehalten {time}', holdFailed: 'Halten fehlgeschlagen: {reason}' },
  ua: { onHold: 'На утриманні {time}', holdFailed: 'Не вдалося поставити на утримання: {reason}' },
};

/** Texts for a portal language code ('en', 'ru', 'de', 'ua'); English when the language is not translated. */
export function cardTexts(lang: string): CardTexts {
  return TEXTS[lang.toLowerCase()] ?? (TEXTS.en as CardTexts);
}

/** 65000 -> "1:05", 3725000 -> "1:02:05". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function interpolate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
