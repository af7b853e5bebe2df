// Hold events as the worker sends them, for storage and API tests: one call, one hold at a time.
import type { IncomingEvent } from '../../src/server/holds/event-schema.ts';

export interface HoldSpec {
  callId: string | null;
  seq?: number;
  /** ISO instant the hold began. */
  start: string;
  heldMs: number;
  endedBy?: 'resume' | 'hangup' | 'close' | null;
  userId?: number;
  phoneNumber?: string | null;
}

const context = (callId: string | null, phoneNumber: string | null = '+19001234567') => ({
  callId,
  phoneNumber,
  lineNumber: 'reg151083',
  direction: 'incoming',
  crmEntityType: 'CONTACT',
  crmEntityId: 123,
  crmActivityId: 456,
  domain: 'spoofed.example.com',
  memberId: 'spoofed',
  userId: 999,
});

const at = (iso: string, plusMs = 0): string => new Date(Date.parse(iso) + plusMs).toISOString();

/** hold.started and hold.ended of one hold, in that order. */
export function holdEvents(spec: HoldSpec): [IncomingEvent, IncomingEvent] {
  const seq = spec.seq ?? 1;
  const key = `${spec.callId ?? 'anon'}-${seq}`;
  const ctx = context(spec.callId, spec.phoneNumber);
  return [
    {
      id: `evt_${key}_s`,
      type: 'hold.started',
      timestamp: spec.start,
      data: { ...ctx, held: true, holdSeq: seq, totalHeldMs: 0 },
    },
    {
      id: `evt_${key}_e`,
      type: 'hold.ended',
      timestamp: at(spec.start, spec.heldMs),
      data: {
        ...ctx,
        held: false,
        holdSeq: seq,
        heldMs: spec.heldMs,
        totalHeldMs: spec.heldMs,
        endedBy: spec.endedBy === undefined ? 'resume' : spec.endedBy,
      },
    },
  ];
}

/** A call's summary; without its answer and talk time unless given. */
export function summaryEvent(
  callId: string,
  timestamp: string,
  holdCount = 0,
  talk: { answeredAt?: string | null; talkMs?: number | null } = {},
): IncomingEvent {
  return {
    id: `evt_${callId}_c`,
    type: 'call.summary',
    timestamp,
    data: { ...context(callId), held: false, totalHeldMs: 0, holdCount, longestHoldMs: 0, ...talk },
  };
}

export function failedEvent(callId: string, seq: number, timestamp: string, held: boolean): IncomingEvent {
  return {
    id: `evt_${callId}-${seq}_f${held ? 'r' : 's'}`,
    type: 'hold.failed',
    timestamp,
    data: { ...context(callId), held, holdSeq: seq, reason: 'HTTP 503' },
  };
}
