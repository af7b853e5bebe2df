// Numbers and durations on the report, in the portal's language. Pure: no DOM.

const locale = (lang: string): string => (lang === 'ua' ? 'uk' : lang);

import { formatDuration } from '../../i18n/messages.ts';

export { formatDuration as clock };

export function count(value: number, lang: string): string {
  return new Intl.NumberFormat(locale(lang)).format(value);
}

/** A share as a whole percent (one decimal under 10 %). */
export function percent(part: number, whole: number, lang: string): string {
  if (whole <= 0) return '–';
  const share = part / whole;
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: share < 0.1 ? 1 : 0 }).format(
    share,
  );
}

export function minutes(ms: number, lang: string): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 }).format(ms / 60_000);
}

export function dateTime(iso: string, tz: string, lang: string, withDate: boolean): string {
  const options: Intl.DateTimeFormatOptions = withDate
    ? { timeZone: tz, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }
    : { timeZone: tz, hour: '2-digit', minute: '2-digit', second: '2-digit' };
  return new Intl.DateTimeFormat(locale(lang), options).format(new Date(iso));
}

/** A local day (YYYY-MM-DD) as a short date: 24.11 or 11/24. */
export function shortDay(day: string, lang: string): string {
  const [y = 1970, m = 1, d = 1] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** A ratio (0.1234) as a percent with one decimal; a dash when it is unknown. */
export function share(ratio: number | null, lang: string): string {
  if (ratio === null || !Number.isFinite(ratio)) return '–';
  return new Intl.NumberFormat(locale(lang), {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(ratio);
}

/** A duration that may be unknown: m:ss, or a dash. */
export function maybeClock(ms: number | null): string {
  return ms === null ? '–' : formatDuration(ms);
}

/** Milliseconds as seconds with the unit, in the portal's language: "1 sec", "1 с". */
export function seconds(ms: number, lang: string): string {
  return new Intl.NumberFormat(locale(lang), {
    style: 'unit',
    unit: 'second',
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(ms / 1000);
}
