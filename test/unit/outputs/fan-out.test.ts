import { describe, expect, it } from 'vitest';
import { fanOut } from '../../../src/outputs/fan-out.ts';
import type { ConfiguredOutput, Output } from '../../../src/outputs/types.ts';
import type { HoldEventType } from '../../../src/hold/types.ts';
import { recordingLogger, sampleEvent } from '../../support/fixtures.ts';

function recorder(name: string, journal: string[], behaviour: 'ok' | 'throw' | 'reject' | 'hang' = 'ok'): Output {
  return {
    send(event) {
      journal.push(`${name} ${event.type}`);
      if (behaviour === 'throw') throw new Error(`${name} broke`);
      if (behaviour === 'reject') return Promise.reject(new Error(`${name} rejected`));
      if (behaviour === 'hang') return new Promise(() => {});
    },
  };
}

const entry = (label: string, output: Output, on: HoldEventType[] = ['hold.started', 'hold.ended']): ConfiguredOutput => ({
  label,
  on: new Set(on),
  output,
});

describe('fan-out to outputs', () => {
  it('gives each event only to the outputs whose on filter lists its type', () => {
    const journal: string[] = [];
    const outputs = [entry('a', recorder('a', journal)), entry('b', recorder('b', journal), ['call.summary'])];
    fanOut(outputs, sampleEvent('hold.started'), recordingLogger());
    fanOut(outputs, sampleEvent('call.summary'), recordingLogger());
    expect(journal).toEqual(['a hold.started', 'b call.summary']);
  });

  it('runs outputs queued after a throwing, a rejecting and a hanging one', async () => {
    const journal: string[] = [];
    const log = recordingLogger();
    const outputs = [
      entry('outputs[0] (x)', recorder('x', journal, 'throw')),
      entry('outputs[1] (y)', recorder('y', journal, 'reject')),
      entry('outputs[2] (z)', recorder('z', journal, 'hang')),
      entry('outputs[3] (w)', recorder('w', journal)),
    ];
    fanOut(outputs, sampleEvent('hold.ended'), log);
    expect(journal).toEqual(['x hold.ended', 'y hold.ended', 'z hold.ended', 'w hold.ended']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log.lines).toEqual([
      'error: outputs[0] (x) failed on hold.ended evt_test_hold.ended',
      'error: outputs[1] (y) failed on hold.ended evt_test_hold.ended',
    ]);
  });
});
