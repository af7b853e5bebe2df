// @vitest-environment node
// Who owns an event, through the real server: one operator's token cannot rewrite or swallow
// another operator's holds, and the report shows each operator's own.
import { describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../../../src/server/holds/event-schema.ts';
import { holdEvents } from '../../../support/hold-events.ts';
import { useStatsStack } from '../../../support/use-stats-stack.ts';

const stack = useStatsStack();
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
const send = (events: unknown[], userId: number) =>
  stack.api('/api/events', { token: stack.tokenFor(userId), body: { events } });
const period = () => `from=${hoursAgo(48)}&to=${new Date(Date.now() + 3600_000).toISOString()}`;
const holdsOf = async (userId: number) =>
  (
    (await (await stack.api(`/api/report/holds?${period()}&userId=${userId}`)).json()) as {
      holds: Record<string, unknown>[];
    }
  ).holds;

describe("another operator's events", () => {
  it("cannot end or lengthen an operator's hold: user 8's hold.ended with user 7's callId leaves user 7's hold as it was", async () => {
    const [started, ended] = holdEvents({ callId: 'CALL-7', start: hoursAgo(2), heldMs: 40_000 });
    expect((await send([started], 7)).status).toBe(200);
    const forged = {
      ...ended,
      timestamp: hoursAgo(1),
      data: { ...ended.data, heldMs: 86_400_000, endedBy: 'hangup' },
    } as IncomingEvent;
    expect(await (await send([forged], 8)).json()).toEqual({ stored: 1, duplicates: 0 });
    expect(await holdsOf(7)).toMatchObject([
      { callId: 'CALL-7', userId: 7, endedAt: null, heldMs: null, endedBy: null },
    ]);
    expect((await send([ended], 7)).status).toBe(200);
    expect(await holdsOf(7)).toMatchObject([{ callId: 'CALL-7', userId: 7, heldMs: 40_000, endedBy: 'resume' }]);
    const report = (await (await stack.api(`/api/report?${period()}`)).json()) as {
      operators: { userId: number; longestHeldMs: number; endedWithCall: number }[];
    };
    expect(report.operators.find((o) => o.userId === 7)).toMatchObject({ longestHeldMs: 40_000, endedWithCall: 0 });
  });

  it("cannot swallow an operator's event by sending its predictable id first", async () => {
    const events = holdEvents({ callId: 'CALL-NEXT', start: hoursAgo(3), heldMs: 5000 });
    expect(await (await send(events, 8)).json()).toEqual({ stored: 2, duplicates: 0 });
    expect(await (await send(events, 7)).json()).toEqual({ stored: 2, duplicates: 0 });
    // A second frame of the same operator is still one event.
    expect(await (await send(events, 7)).json()).toEqual({ stored: 0, duplicates: 2 });
    expect((await holdsOf(7)).filter((h) => h.callId === 'CALL-NEXT')).toMatchObject([{ userId: 7, heldMs: 5000 }]);
  });
});
