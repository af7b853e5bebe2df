import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeliverer, type AttemptResult, type DelivererOptions } from '../../../src/delivery/deliverer.ts';
import { memoryOutbox, type OutboxStore } from '../../../src/delivery/outbox-store.ts';
import type { HoldEvent } from '../../../src/hold/types.ts';
import { recordingLogger, sampleEvent } from '../../support/fixtures.ts';

function event(n: number, callId = 'CALL-1'): HoldEvent {
  return {
    ...sampleEvent(n % 2 ? 'hold.started' : 'hold.ended', { callId, holdSeq: Math.ceil(n / 2) }),
    id: `evt_${callId}_${n}`,
    timestamp: new Date(Date.now() + n).toISOString(),
  };
}

/** A deliverer over `store` whose attempts answer `answers` in turn, then delivered; records what it tried. */
function make(store: OutboxStore, answers: AttemptResult[] = [], overrides: Partial<DelivererOptions> = {}) {
  const tried: string[] = [];
  const log = recordingLogger();
  const deliverer = createDeliverer({
    receiver: 'r1',
    label: 'outputs[0] (webhook)',
    store,
    attempt: async (e) => {
      tried.push(e.id);
      return answers.shift() ?? { kind: 'delivered' };
    },
    log,
    maxAgeMs: 3_600_000,
    maxEntries: 1000,
    exclusive: (_name, task) => task(),
    random: () => 1,
    ...overrides,
  });
  return { deliverer, tried, log };
}

const failing = (error = new DOMException('The transaction was aborted', 'UnknownError')) => Promise.reject(error);

describe('the deliverer when storage fails', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => void vi.useRealTimers());

  it('schedules the next pass, with a growing pause, after a pass that failed on a storage error (not only on the next click)', async () => {
    const store = memoryOutbox();
    let failures = 2;
    const flaky: OutboxStore = {
      ...store,
      pending: (receiver) => (failures-- > 0 ? failing() : store.pending(receiver)),
    };
    const { deliverer, tried, log } = make(flaky);
    await deliverer.enqueue(event(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(tried).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(tried).toEqual([]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(tried).toEqual(['evt_CALL-1_1']);
    expect(log.lines.filter((l) => l.startsWith('error:'))).toEqual([
      'error: outputs[0] (webhook): delivery pass failed (UnknownError: The transaction was aborted); next pass in 1 s',
    ]);
    deliverer.dispose();
  });
});

describe('the deliverer while a call waits for a retry', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => void vi.useRealTimers());

  it('rereads the outbox only when the head of a call is due, not in a loop for the events behind it', async () => {
    const store = memoryOutbox();
    let reads = 0;
    const counting: OutboxStore = { ...store, pending: (receiver) => (reads++, store.pending(receiver)) };
    const { deliverer, tried } = make(counting, [{ kind: 'retry', reason: 'HTTP 503', retryAfterMs: 30_000 }]);
    await deliverer.enqueue(event(1));
    await deliverer.enqueue(event(2));
    await vi.advanceTimersByTimeAsync(29_000);
    expect(tried).toEqual(['evt_CALL-1_1']);
    expect(reads).toBeLessThan(5);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(tried).toEqual(['evt_CALL-1_1', 'evt_CALL-1_1', 'evt_CALL-1_2']);
    deliverer.dispose();
  });
});

describe('the deliverer when saving an event fails', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => void vi.useRealTimers());

  const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

  it('keeps the event in memory and saves it on a later try (QuotaExceededError), instead of dropping it', async () => {
    const store = memoryOutbox();
    let failures = 2;
    const full: OutboxStore = {
      ...store,
      durable: true,
      add: (entries) => (failures-- > 0 ? Promise.reject(quota()) : store.add(entries)),
    };
    const { deliverer, tried, log } = make(full);
    const queued = deliverer.enqueue(event(1));
    await vi.advanceTimersByTimeAsync(5_000);
    await queued;
    expect(tried).toEqual(['evt_CALL-1_1']);
    expect(log.lines[0]).toBe(
      'warn: outputs[0] (webhook): could not save 1 event(s) to the outbox (QuotaExceededError: The quota has been exceeded.); keeping them in memory, next try in 1 s',
    );
    expect(deliverer.durable()).toBe(true);
    deliverer.dispose();
  });

  it('falls back to a memory outbox when saving keeps failing, and says which events it holds there', async () => {
    const store = { ...memoryOutbox(), durable: true, add: () => Promise.reject(quota()) };
    const moved: string[] = [];
    const { deliverer, tried, log } = make(store, [], { onMemory: (events) => moved.push(...events.map((e) => e.id)) });
    const queued = [deliverer.enqueue(event(1)), deliverer.enqueue(event(2))];
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(queued);
    expect(tried).toEqual(['evt_CALL-1_1', 'evt_CALL-1_2']);
    expect(moved).toEqual(['evt_CALL-1_1', 'evt_CALL-1_2']);
    expect(deliverer.durable()).toBe(false);
    expect(log.lines.filter((l) => l.startsWith('error:'))).toEqual([
      'error: outputs[0] (webhook): the outbox could not save events 3 times (QuotaExceededError: The quota has been exceeded.); this frame keeps its events in memory from now on: evt_CALL-1_1, evt_CALL-1_2',
    ]);
    deliverer.dispose();
  });
});

describe('the deliverer in batch mode', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => void vi.useRealTimers());

  /** A deliverer whose batches answer `answers` in turn, then delivered; records each batch's ids. */
  function batching(answers: AttemptResult[], batchSize = 3, store = memoryOutbox()) {
    const batches: string[][] = [];
    const log = recordingLogger();
    const deliverer = createDeliverer({
      receiver: 'r1',
      label: 'outputs[0] (server)',
      store,
      attemptBatch: async (events) => {
        batches.push(events.map((e) => e.id));
        return answers.shift() ?? { kind: 'delivered' };
      },
      batchSize,
      log,
      maxAgeMs: 3_600_000,
      maxEntries: 1000,
      exclusive: (_name, task) => task(),
      random: () => 1,
    });
    return { deliverer, batches, log };
  }

  it('sends up to batchSize due events per attempt, several of one call in the order they happened', async () => {
    const { deliverer, batches } = batching([]);
    const events = [event(1, 'A'), event(1, 'B'), event(2, 'A'), event(3, 'A'), event(2, 'B')];
    await Promise.all(events.map((e) => deliverer.enqueue(e)));
    await vi.advanceTimersByTimeAsync(0);
    expect(batches.flat().sort()).toEqual(events.map((e) => e.id).sort());
    expect(batches.every((b) => b.length <= 3)).toBe(true);
    for (const call of ['A', 'B']) {
      const order = batches.flat().filter((id) => id.startsWith(`evt_${call}_`));
      expect(order).toEqual([...order].sort());
    }
    deliverer.dispose();
  });

  it('retries a failed batch whole after the Retry-After, before any later event of its calls', async () => {
    const { deliverer, batches, log } = batching([{ kind: 'retry', reason: 'HTTP 503', retryAfterMs: 20_000 }]);
    await deliverer.enqueue(event(1, 'A'));
    await deliverer.enqueue(event(1, 'B'));
    await vi.advanceTimersByTimeAsync(0);
    await deliverer.enqueue(event(2, 'A'));
    await vi.advanceTimersByTimeAsync(19_000);
    expect(batches).toEqual([['evt_A_1', 'evt_B_1']]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batches).toEqual([
      ['evt_A_1', 'evt_B_1'],
      ['evt_A_1', 'evt_B_1', 'evt_A_2'],
    ]);
    expect(log.lines).toEqual([
      'warn: outputs[0] (server): hold.started evt_A_1, hold.started evt_B_1 not delivered (HTTP 503); attempt 1, next in 20 s',
    ]);
    deliverer.dispose();
  });

  it("keeps the outbox's dedupe and expiry: an id queued twice goes once, an expired one never", async () => {
    const { deliverer, batches, log } = batching([]);
    const old = { ...event(1, 'A'), timestamp: new Date(Date.now() - 2 * 3_600_000).toISOString() };
    await Promise.all([deliverer.enqueue(old), deliverer.enqueue(event(2, 'A')), deliverer.enqueue(event(2, 'A'))]);
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([['evt_A_2']]);
    expect(log.lines).toEqual([
      'error: outputs[0] (server): dropped 1 event(s) older than maxAgeMs (3600000 ms), never delivered: evt_A_1',
    ]);
    deliverer.dispose();
  });
});
