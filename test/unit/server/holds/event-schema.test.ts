import { describe, expect, it } from 'vitest';
import { checkBatch, MAX_CLOCK_SKEW_MS, MAX_EVENT_AGE_MS } from '../../../../src/server/holds/event-schema.ts';
import { holdEvents } from '../../../support/hold-events.ts';

// The server's clock, as the route passes it: never today's date.
const NOW = Date.parse('2031-06-15T08:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('the event schema', () => {
  it('takes a timestamp from 7 days back to 10 minutes ahead of the clock it is given, and names the field beyond', () => {
    const [one] = holdEvents({ callId: 'c', start: at(0), heldMs: 1 });
    const check = (ms: number) => checkBatch({ events: [{ ...one, timestamp: at(ms) }] }, NOW);
    expect(check(-MAX_EVENT_AGE_MS)).toMatchObject({ ok: true });
    expect(check(MAX_CLOCK_SKEW_MS)).toMatchObject({ ok: true });
    expect(check(-MAX_EVENT_AGE_MS - 1)).toEqual({ ok: false, tooMany: false, field: 'events[0].timestamp', error: 'events[0].timestamp: is more than 7 days old' });
    expect(check(MAX_CLOCK_SKEW_MS + 1)).toMatchObject({ ok: false, field: 'events[0].timestamp', error: expect.stringContaining('10 minutes ahead') });
    expect(check(-100 * 86_400_000)).toMatchObject({ ok: false, field: 'events[0].timestamp' });
  });

  it('keeps only the contract\'s fields: unknown ones and the body\'s identity are dropped', () => {
    const [one] = holdEvents({ callId: 'c', start: at(0), heldMs: 1 });
    const checked = checkBatch({ events: [{ ...one, extra: 1, data: { ...one.data, junk: 'x', nested: { deep: [1] } } }] }, NOW);
    if (!checked.ok) throw new Error('expected the batch to pass');
    const [event] = checked.events;
    expect(Object.keys(event ?? {}).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
    expect(Object.keys(event?.data ?? {}).sort()).toEqual([
      'callId', 'crmActivityId', 'crmEntityId', 'crmEntityType', 'direction', 'held', 'holdSeq', 'lineNumber', 'memberId', 'phoneNumber', 'totalHeldMs',
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
});
