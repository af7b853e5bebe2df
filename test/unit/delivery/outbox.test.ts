import { createHash } from 'node:crypto';
import type { UseStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { createDeliverer, type AttemptResult } from '../../../src/delivery/deliverer.ts';
import { memoryOutbox, type OutboxEntry } from '../../../src/delivery/outbox-store.ts';
import type { HoldEvent } from '../../../src/hold/types.ts';
import { recordingLogger, sampleEvent } from '../../support/fixtures.ts';

const entry = (id: string, receiver = 'r1'): OutboxEntry => ({
  key: `${receiver}|${id}`,
  receiver,
  event: { ...sampleEvent('hold.started'), id },
  attempts: 0,
  nextAttemptAt: 0,
  lastError: null,
});

describe('the outbox store', () => {
  it('queues an event once, however many frames add it', async () => {
    const store = memoryOutbox();
    expect(await store.add([entry('evt_1')])).toBe(1);
    expect(await store.add([entry('evt_1')])).toBe(0);
    expect(await store.pending('r1')).toHaveLength(1);
  });

  it('refuses an event already delivered, until the sent id is forgotten', async () => {
    const store = memoryOutbox();
    await store.add([entry('evt_1')]);
    await store.remove(['r1|evt_1'], 1000);
    expect(await store.add([entry('evt_1')])).toBe(0);
    await store.forgetSentBefore(2000);
    expect(await store.add([entry('evt_1')])).toBe(1);
  });

  it('queues a batch in one go, skipping what is already there', async () => {
    const store = memoryOutbox();
    await store.add([entry('evt_1')]);
    expect(await store.add([entry('evt_1'), entry('evt_2'), entry('evt_3')])).toBe(2);
    expect(await store.pending('r1')).toHaveLength(3);
  });

  it('keeps receivers apart', async () => {
    const store = memoryOutbox();
    await store.add([entry('evt_1', 'r1')]);
    await store.add([entry('evt_1', 'r2')]);
    await store.add([entry('evt_2', 'r2')]);
    expect((await store.pending('r2')).map((e) => e.event.id)).toEqual(['evt_1', 'evt_2']);
    expect(await store.pending('r1')).toHaveLength(1);
  });
});

describe('the deliverer under a burst of clicks', () => {
  it('delivers every event of a call in order while holding the lock for one drain at a time', async () => {
    const sent: string[] = [];
    let locks = 0;
    let inside = 0;
    let overlapped = false;
    const deliverer = createDeliverer({
      receiver: 'r1',
      label: 'outputs[0] (webhook)',
      store: memoryOutbox(),
      attempt: async (event: HoldEvent): Promise<AttemptResult> => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        sent.push(event.id);
        return { kind: 'delivered' };
      },
      log: recordingLogger(),
      maxAgeMs: 3_600_000,
      maxEntries: 1000,
      exclusive: async (_name, task) => {
        locks++;
        overlapped ||= inside > 0;
        inside++;
        await task().finally(() => inside--);
      },
    });
    const events = Array.from({ length: 200 }, (_, i) => ({
      ...sampleEvent('hold.started', { holdSeq: i + 1 }),
      id: `evt_${i}`,
      timestamp: new Date(Date.now() + i).toISOString(),
    }));
    await Promise.all(events.map((event) => deliverer.enqueue(event)));
    await expect.poll(() => sent.length).toBe(200);
    expect(sent).toEqual(events.map((e) => e.id));
    expect(overlapped).toBe(false);
    expect(locks).toBeLessThan(20);
    deliverer.dispose();
  });
});

describe('receiver ids', () => {
  it('are a full SHA-256 of the receiver URL, within the portal', async () => {
    const { receiverId } = await import('../../../src/delivery/outbox-store.ts');
    const url = 'https://pbx.example.com/bitrix/hold';
    const id = await receiverId('member-1', url);
    expect(id).toBe(`member-1:${createHash('sha256').update(url).digest('hex')}`);
    expect(await receiverId('member-2', 'https://pbx.example.com/bitrix/hold')).not.toBe(id);
  });
});

describe('the IndexedDB outbox', () => {
  it('opens the database again when the browser closed the connection (InvalidStateError), and retries the call', async () => {
    const { openOutbox } = await import('../../../src/delivery/outbox-store.ts');
    const opened: string[] = [];
    const closed = () => Promise.reject(new DOMException('The database connection is closing.', 'InvalidStateError'));
    const open = (name: string) => {
      opened.push(name);
      let calls = 0;
      // The first connection answers the opening probe, then behaves as one the browser closed.
      return (() => (opened.length === 1 && calls++ > 0 ? closed() : Promise.resolve(1))) as unknown as UseStore;
    };
    const store = await openOutbox(recordingLogger(), 'member-1', open);
    expect(store.durable).toBe(true);
    expect(await store.add([entry('evt_1')])).toBe(1);
    expect(opened).toEqual(['b24-hold-relay-outbox:member-1', 'b24-hold-relay-outbox:member-1']);
  });
});
