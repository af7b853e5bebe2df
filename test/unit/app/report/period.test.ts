import { describe, expect, it } from 'vitest';
import { addDays, dayStart, daysBetween, localDay, resolvePeriod } from '../../../../src/app/report/period.ts';

const at = (iso: string) => Date.parse(iso);

describe('report periods in the admin’s time zone', () => {
  it('takes today as the local day, from its midnight to the next', () => {
    expect(resolvePeriod({ preset: 'today' }, at('2026-11-24T22:30:00Z'), 'Europe/Moscow')).toEqual({
      from: '2026-11-24T21:00:00.000Z',
      to: '2026-11-25T21:00:00.000Z',
      tz: 'Europe/Moscow',
      first: '2026-11-25',
      last: '2026-11-25',
      hourly: true,
    });
  });

  it('counts the last 7 and 30 days with today, yesterday alone, and a custom range with both ends', () => {
    const now = at('2026-11-24T10:00:00Z');
    expect(resolvePeriod({ preset: 'yesterday' }, now, 'UTC')).toMatchObject({
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-24T00:00:00.000Z',
      hourly: true,
    });
    expect(resolvePeriod({ preset: 'week' }, now, 'UTC')).toMatchObject({
      first: '2026-11-18',
      last: '2026-11-24',
      hourly: false,
    });
    expect(resolvePeriod({ preset: 'month' }, now, 'UTC')).toMatchObject({
      first: '2026-10-26',
      to: '2026-11-25T00:00:00.000Z',
    });
    expect(
      resolvePeriod({ preset: 'custom', first: '2026-11-01', last: '2026-11-03' }, now, 'America/New_York'),
    ).toMatchObject({
      from: '2026-11-01T04:00:00.000Z',
      to: '2026-11-04T05:00:00.000Z',
      hourly: false,
    });
  });

  it('refuses a custom range that is incomplete, backwards or too long', () => {
    const now = at('2026-11-24T10:00:00Z');
    expect(resolvePeriod({ preset: 'custom', first: '2026-11-03' }, now, 'UTC')).toBeNull();
    expect(resolvePeriod({ preset: 'custom', first: '2026-11-03', last: '2026-11-01' }, now, 'UTC')).toBeNull();
    expect(resolvePeriod({ preset: 'custom', first: '2024-01-01', last: '2026-11-01' }, now, 'UTC')).toBeNull();
  });

  it('finds midnight on the days clocks change (23 and 25 hour days)', () => {
    expect(dayStart('2026-03-29', 'Europe/Berlin')).toBe(at('2026-03-28T23:00:00Z'));
    expect(dayStart('2026-03-30', 'Europe/Berlin')).toBe(at('2026-03-29T22:00:00Z'));
    expect(dayStart('2026-10-26', 'Europe/Berlin')).toBe(at('2026-10-25T23:00:00Z'));
    expect(localDay(at('2026-10-25T22:59:59Z'), 'Europe/Berlin')).toBe('2026-10-25');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});
