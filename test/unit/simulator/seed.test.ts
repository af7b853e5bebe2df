import { describe, expect, it } from 'vitest';
import { checkBatch } from '../../../src/server/holds/event-schema.ts';
import { monthOfHolds, SEED_MAX_DAYS } from '../../../src/simulator/seed.ts';

describe('the simulator’s month of holds', () => {
  const now = Date.parse('2026-11-24T15:00:00Z');
  const month = monthOfHolds({ operators: [7, 8], days: 30, now });

  it('is the same month each time (so seeding twice stores nothing new), and none of it in the future', () => {
    expect(monthOfHolds({ operators: [7, 8], days: 30, now })).toEqual(month);
    const all = [...month.values()].flat();
    expect(all.every((event) => Date.parse(event.timestamp) <= now)).toBe(true);
    expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
  });

  it('gives each operator hundreds of holds a month', () => {
    for (const events of month.values())
      expect(events.filter((event) => event.type === 'hold.started').length).toBeGreaterThan(100);
  });

  it('seeds at most the week the server takes, which it accepts as it is, with dozens of holds per operator', () => {
    for (const events of monthOfHolds({ operators: [7, 8], days: SEED_MAX_DAYS, now }).values()) {
      const holds = events.filter((event) => event.type === 'hold.started').length;
      expect(holds).toBeGreaterThan(20);
      for (let i = 0; i < events.length; i += 100)
        expect(checkBatch({ events: events.slice(i, i + 100) }, now)).toMatchObject({ ok: true });
    }
  });

  it('puts the calls on two lines and gives each its talk time from connection to the summary, a few unknown', () => {
    const all = [...monthOfHolds({ operators: [7, 9], days: SEED_MAX_DAYS, now }).values()].flat();
    expect(new Set(all.map((event) => event.data.lineNumber))).toEqual(new Set(['reg151083', 'reg151084']));
    const summaries = all.filter((event) => event.type === 'call.summary');
    const known = summaries.filter((event) => event.data.talkMs !== null);
    for (const event of known)
      expect(event.data.talkMs).toBe(Date.parse(event.timestamp) - Date.parse(String(event.data.answeredAt)));
    expect(known.every((event) => Number(event.data.talkMs) >= Number(event.data.totalHeldMs))).toBe(true);
    expect(summaries.length - known.length).toBeGreaterThan(0);
    expect(summaries.length - known.length).toBeLessThan(summaries.length / 10);
  });
});
