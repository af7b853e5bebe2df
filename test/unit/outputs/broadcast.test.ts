import { describe, expect, it } from 'vitest';
import broadcast, { DEFAULT_CHANNEL } from '../../../src/outputs/broadcast.ts';
import { MONITOR_CHANNEL } from '../../../src/monitor/channel.ts';
import { createOutput, optionProblems, outputContext, sampleEvent } from '../../support/fixtures.ts';
import { testOutputConformance } from '../../support/output-conformance.ts';

const context = outputContext({ label: 'outputs[4] (broadcast)' });

describe('broadcast output', () => {
  testOutputConformance(broadcast, {});

  it('posts each event to the app pages listening on its channel', async () => {
    const listener = new BroadcastChannel(DEFAULT_CHANNEL);
    const received = new Promise<unknown>((resolve) =>
      listener.addEventListener('message', (e) => resolve(e.data), { once: true }),
    );
    const output = createOutput(broadcast, { type: 'broadcast' }, context);
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
      const problems = optionProblems(broadcast, { type: 'broadcast', ...options });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^outputs\[0\] \(broadcast\): field "channel" .*; this output is disabled$/);
    },
  );
});
