// @vitest-environment node
import { describe, expect, it } from 'vitest';
import createBroadcastOutput, { DEFAULT_CHANNEL } from '../../../src/outputs/broadcast.ts';
import { OutputConfigError } from '../../../src/outputs/errors.ts';
import { MONITOR_CHANNEL } from '../../../src/monitor/channel.ts';
import { outputContext, sampleEvent } from '../../support/fixtures.ts';
import { testOutputConformance } from '../../support/output-conformance.ts';

const context = outputContext({ label: 'outputs[4] (broadcast)' });

describe('broadcast output', () => {
  testOutputConformance('broadcast', createBroadcastOutput, { type: 'broadcast' });

  it('posts each event to the app pages listening on its channel', async () => {
    const listener = new BroadcastChannel(DEFAULT_CHANNEL);
    const received = new Promise<unknown>((resolve) => listener.addEventListener('message', (e) => resolve(e.data), { once: true }));
    const output = createBroadcastOutput({ type: 'broadcast' }, context);
    const event = sampleEvent('hold.started');
    await output.send(event);
    expect(await received).toEqual(event);
    output.dispose?.();
    listener.close();
  });

  it('uses the channel the event monitor listens on', () => {
    expect(DEFAULT_CHANNEL).toBe(MONITOR_CHANNEL);
  });

  it.each([[{ channel: '' }], [{ channel: 'has space' }], [{ channel: 5 }], [{ channel: 'x'.repeat(65) }]])(
    'refuses a bad channel name %j, naming the field',
    (options) => {
      expect(() => createBroadcastOutput({ type: 'broadcast', ...options }, context)).toThrow(OutputConfigError);
      expect(() => createBroadcastOutput({ type: 'broadcast', ...options }, context)).toThrow(/^outputs\[4\] \(broadcast\): field "channel" /);
    },
  );
});
