// Query parameters of the report endpoints: the period, the time zone, the line, the holds list's options.
import type { Period } from './report.ts';

export const DEFAULT_PERIOD_DAYS = 30;
export const MAX_PERIOD_DAYS = 400;
export const MAX_HOLDS = 1000;
export const MAX_CSV_HOLDS = 100_000;
const DAY_MS = 86_400_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export type QueryValue<T> = { ok: true; value: T } | { ok: false; field: string; error: string };
type Query = (name: string) => string | undefined;

/** A real IANA zone (or UTC), in its canonical spelling; Intl knows the same zones PostgreSQL does. */
export function canonicalZone(raw: string): string | null {
  if (!/^[A-Za-z][\w+/-]{0,63}$/.test(raw)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function instant(raw: string | undefined, field: string, fallback: Date): QueryValue<Date> {
  if (raw === undefined || raw === '') return { ok: true, value: fallback };
  const at = ISO_INSTANT.test(raw) ? new Date(raw) : new Date(Number.NaN);
  return Number.isNaN(at.getTime())
    ? { ok: false, field, error: `${field} must be an ISO 8601 instant such as 2026-11-01T00:00:00Z` }
    : { ok: true, value: at };
}

/** `from`, `to` (default: the last 30 days) and `tz` (default UTC). */
export function parsePeriod(query: Query, now = Date.now()): QueryValue<Period> {
  const to = instant(query('to'), 'to', new Date(now));
  if (!to.ok) return to;
  const from = instant(query('from'), 'from', new Date(to.value.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS));
  if (!from.ok) return from;
  if (from.value >= to.value) return { ok: false, field: 'from', error: 'from must be before to' };
  if (to.value.getTime() - from.value.getTime() > MAX_PERIOD_DAYS * DAY_MS)
    return { ok: false, field: 'from', error: `a period is at most ${MAX_PERIOD_DAYS} days` };
  const tz = canonicalZone(query('tz') || 'UTC');
  if (tz === null) return { ok: false, field: 'tz', error: 'tz must be an IANA time zone such as Europe/Berlin' };
  return { ok: true, value: { from: from.value, to: to.value, tz } };
}

/** Per-hour figures are given for periods up to this long. */
export const MAX_HOURLY_DAYS = 31;

/** `by=day` (the default: `days` only) or `by=hour` (`hours` too, for periods up to 31 days). */
export function parseBucket(query: Query, period: Period): QueryValue<'day' | 'hour'> {
  const by = query('by') || 'day';
  if (by !== 'day' && by !== 'hour') return { ok: false, field: 'by', error: 'by must be day or hour' };
  if (by === 'hour' && period.to.getTime() - period.from.getTime() > MAX_HOURLY_DAYS * DAY_MS) {
    return { ok: false, field: 'by', error: `by=hour takes a period of at most ${MAX_HOURLY_DAYS} days` };
  }
  return { ok: true, value: by };
}

/** As long as an event's lineNumber may be. */
export const MAX_LINE_NUMBER_LENGTH = 200;

/** `lineNumber`: one line, as events name it (1 to 200 characters, no control character); absent or empty: every line. */
export function parseLineNumber(query: Query): QueryValue<string | null> {
  const raw = query('lineNumber');
  if (raw === undefined || raw === '') return { ok: true, value: null };
  // eslint-disable-next-line no-control-regex
  if (raw.length > MAX_LINE_NUMBER_LENGTH || /[\u0000-\u001f\u007f]/.test(raw)) {
    return {
      ok: false,
      field: 'lineNumber',
      error: `lineNumber must be a line number of at most ${MAX_LINE_NUMBER_LENGTH} characters, without control characters`,
    };
  }
  return { ok: true, value: raw };
}

export interface ListOptions {
  sort: 'longest' | 'recent';
  limit: number;
  userId: number | null;
  lineNumber: string | null;
}

export function parseListOptions(query: Query, maxLimit: number, defaultLimit: number): QueryValue<ListOptions> {
  const sort = query('sort') || 'recent';
  if (sort !== 'longest' && sort !== 'recent')
    return { ok: false, field: 'sort', error: 'sort must be longest or recent' };
  const rawLimit = query('limit');
  const limit = rawLimit ? Number(rawLimit) : defaultLimit;
  if (!/^\d*$/.test(rawLimit ?? '') || !Number.isSafeInteger(limit) || limit < 1 || limit > maxLimit) {
    return { ok: false, field: 'limit', error: `limit must be a whole number from 1 to ${maxLimit}` };
  }
  const rawUser = query('userId');
  const userId = rawUser ? Number(rawUser) : null;
  if (
    rawUser &&
    (!/^\d+$/.test(rawUser) || !Number.isSafeInteger(userId) || (userId ?? 0) < 1 || (userId ?? 0) > 2_147_483_647)
  ) {
    return { ok: false, field: 'userId', error: 'userId must be a user ID' };
  }
  const lineNumber = parseLineNumber(query);
  if (!lineNumber.ok) return lineNumber;
  return { ok: true, value: { sort, limit, userId, lineNumber: lineNumber.value } };
}
