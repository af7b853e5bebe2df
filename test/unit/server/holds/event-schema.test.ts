import { describe, expect, it } from 'vitest';
import { checkBatch, MAX_CLOCK_SKEW_MS, MAX_EVENT_AGE_MS } from '../../../../src/server/holds/event-schema.ts';
import { holdEvents, summaryEvent } from '../../../support/hold-events.ts';

// The server's clock, as the route passes it: never today's date.
const NOW = Date.parse('2031-06-15T08:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('the event schema', () => {
  it('takes a timestamp from 7 days back to 10 minutes ahead of the clock it is given, and names the field beyond', () => {
    const [one] = holdEvents({ callId: 'c', start: at(0), heldMs: 1 });
    const check = (ms: number) => checkBatch({ events: [{ ...one, timestamp: at(ms) }] }, NOW);
    expect(check(-MAX_EVENT_AGE_MS)).toMatchObject({ ok: true });
    expect(check(MAX_CLOCK_SKEW_MS)).toMatchObject({ ok: true });
    expect(check(-MAX_EVENT_AGE_MS - 1)).toEqual({
      ok: false,
      tooMany: false,
      field: 'events[0].timestamp',
      error: 'events[0].timestamp: is more than 7 days old',
    });
    expect(check(MAX_CLOCK_SKEW_MS + 1)).toMatchObject({
      ok: false,
      field: 'events[0].timestamp',
      error: expect.stringContaining('10 minutes ahead'),
    });
    expect(check(-100 * 86_400_000)).toMatchObject({ ok: false, field: 'events[0].timestamp' });
  });

  it("keeps only the contract's fields: unknown ones and the body's identity are dropped", () => {
    const [one] = holdEvents({ callId: 'c', start: at(0), heldMs: 1 });
    const checked = checkBatch(
      { events: [{ ...one, extra: 1, data: { ...one.data, junk: 'x', nested: { deep: [1] } } }] },
      NOW,
    );
    if (!checked.ok) throw new Error('expected the batch to pass');
    const [event] = checked.events;
    expect(Object.keys(event ?? {}).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
    expect(Object.keys(event?.data ?? {}).sort()).toEqual([
      'callId',
      'crmActivityId',
      'crmEntityId',
      'crmEntityType',
      'direction',
      'held',
      'holdSeq',
      'lineNumber',
      'memberId',
      'phoneNumber',
      'totalHeldMs',
    ]);
  });

  it('bounds every string and refuses NUL in one, naming the field', () => {
    const [one] = holdEvents({ callId: 'c', start: at(0), heldMs: 1 });
    const fieldOf = (event: unknown) => {
      const checked = checkBatch({ events: [event] }, NOW);
      return checked.ok || checked.tooMany ? null : checked.field;
    };
    expect(fieldOf({ ...one, id: 'i'.repeat(129) })).toBe('events[0].id');
    expect(fieldOf({ ...one, id: 'a\u0000' })).toBe('events[0].id');
    expect(fieldOf({ ...one, data: { ...one.data, lineNumber: 'l'.repeat(201) } })).toBe('events[0].data.lineNumber');
    expect(fieldOf({ ...one, data: { ...one.data, crmEntityType: 'x\u0000' } })).toBe('events[0].data.crmEntityType');
    expect(fieldOf({ ...one, timestamp: `${at(0)}${' '.repeat(50)}` })).toBe('events[0].timestamp');
  });

  it("takes a summary's answer time and talk time, null when unknown, and one without them as before", () => {
    const summary = summaryEvent('c', at(0), 1);
    const dataOf = (data: Record<string, unknown>) => {
      const checked = checkBatch({ events: [{ ...summary, data: { ...summary.data, ...data } }] }, NOW);
      if (!checked.ok) throw new Error(`expected the batch to pass: ${JSON.stringify(checked)}`);
      return checked.events[0]?.data;
    };
    expect(dataOf({ answeredAt: at(-60_000), talkMs: 60_000 })).toMatchObject({
      answeredAt: at(-60_000),
      talkMs: 60_000,
    });
    expect(dataOf({ answeredAt: null, talkMs: null })).toMatchObject({ answeredAt: null, talkMs: null });
    expect(Object.keys(dataOf({}) ?? {})).not.toContain('talkMs');
  });

  it('refuses a talk time that is negative, fractional or over a day, and an answer time that is not an instant, naming the field', () => {
    const summary = summaryEvent('c', at(0), 1);
    const fieldOf = (data: Record<string, unknown>) => {
      const checked = checkBatch({ events: [{ ...summary, data: { ...summary.data, ...data } }] }, NOW);
      return checked.ok || checked.tooMany ? null : checked.field;
    };
    expect(fieldOf({ talkMs: 86_400_000 })).toBeNull();
    for (const talkMs of [-1, 1.5, 86_400_001, '60000']) expect(fieldOf({ talkMs })).toBe('events[0].data.talkMs');
    for (const answeredAt of ['yesterday', 5, `${at(0)}${' '.repeat(50)}`])
      expect(fieldOf({ answeredAt })).toBe('events[0].data.answeredAt');
  });

  it('drops talk fields on events other than call.summary', () => {
    const [one] = holdEvents({ callId: 'c', start: at(0), heldMs: 1 });
    const checked = checkBatch({ events: [{ ...one, data: { ...one.data, answeredAt: at(0), talkMs: 5 } }] }, NOW);
    if (!checked.ok) throw new Error('expected the batch to pass');
    expect(Object.keys(checked.events[0]?.data ?? {})).not.toContain('talkMs');
  });
});
