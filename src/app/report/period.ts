// Report periods as the admin means them: whole days in their own time zone. Pure: no DOM.

export type Preset = 'today' | 'yesterday' | 'week' | 'month' | 'custom';
export const PRESETS: readonly Preset[] = ['today', 'yesterday', 'week', 'month', 'custom'];

export interface PeriodChoice {
  preset: Preset;
  /** Custom range: first and last local day (YYYY-MM-DD), both included. */
  first?: string;
  last?: string;
}

export interface ReportPeriod {
  /** ISO instants: the first day's midnight, and the midnight after the last day. */
  from: string;
  to: string;
  tz: string;
  /** First and last local day, both included. */
  first: string;
  last: string;
  /** One day: the chart shows hours. */
  hourly: boolean;
}

export const MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(tz: string, at: number): Record<string, number> {
  let format = formatters.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, format);
  }
  const out: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(at)))
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  return out;
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function offsetMs(tz: string, at: number): number {
  const p = partsIn(tz, at);
  const wall = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** The local calendar day of an instant, YYYY-MM-DD. */
export function localDay(at: number, tz: string): string {
  const p = partsIn(tz, at);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant a local day begins in the zone (DST-aware). */
export function dayStart(day: string, tz: string): number {
  const [y = 1970, m = 1, d = 1] = day.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetMs(tz, guess);
  return guess - offsetMs(tz, first);
}

export function addDays(day: string, n: number): string {
  const [y = 1970, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Days from first to last, both included. */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last && days.length <= MAX_RANGE_DAYS; day = addDays(day, 1)) days.push(day);
  return days;
}

export const isDay = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

/** The instants the API is asked for; null when a custom range is incomplete or backwards. */
export function resolvePeriod(choice: PeriodChoice, now: number, tz: string): ReportPeriod | null {
  const today = localDay(now, tz);
  let first: string;
  let last: string;
  switch (choice.preset) {
    case 'today':
      [first, last] = [today, today];
      break;
    case 'yesterday':
      [first, last] = [addDays(today, -1), addDays(today, -1)];
      break;
    case 'week':
      [first, last] = [addDays(today, -6), today];
      break;
    case 'month':
      [first, last] = [addDays(today, -29), today];
      break;
    case 'custom':
      if (!isDay(choice.first) || !isDay(choice.last) || choice.first > choice.last) return null;
      [first, last] = [choice.first, choice.last];
      if (daysBetween(first, last).length > MAX_RANGE_DAYS) return null;
      break;
  }
  return {
    from: new Date(dayStart(first, tz)).toISOString(),
    to: new Date(dayStart(addDays(last, 1), tz)).toISOString(),
    tz,
    first,
    last,
    hourly: first === last,
  };
}

/** The browser's IANA time zone, or UTC when it has none. */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
