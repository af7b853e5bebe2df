import { describe, expect, it, vi } from 'vitest';
import { fanOut } from '../../../src/outputs/fan-out.ts';
import type { ConfiguredOutput, Output } from '../../../src/outputs/types.ts';
import type { HoldEventType } from '../../../src/hold/types.ts';
import { recordingLogger, sampleEvent } from '../../support/fixtures.ts';

function recorder(
  name: string,
  journal: string[],
  behaviour: 'ok' | 'throw' | 'reject' | 'hang' | 'refuse' = 'ok',
  confirms = false,
): Output {
  return {
    confirms,
    send(event) {
      journal.push(`${name} ${event.type}`);
      if (behaviour === 'throw') throw new Error(`${name} broke`);
      if (behaviour === 'reject') return Promise.reject(new Error(`${name} rejected`));
      if (behaviour === 'hang') return new Promise(() => {});
      if (behaviour === 'refuse') return Promise.resolve({ ok: false, reason: `${name} said no` });
    },
  };
}

const entry = (
  label: string,
  output: Output,
  on: HoldEventType[] = ['hold.started', 'hold.ended'],
): ConfiguredOutput => ({
  label,
  on: new Set(on),
  output,
});

const noRefusal = () => {
  throw new Error('no output here confirms');
};

describe('fan-out to outputs', () => {
  it('gives each event only to the outputs whose on filter lists its type', () => {
    const journal: string[] = [];
    const outputs = [entry('a', recorder('a', journal)), entry('b', recorder('b', journal), ['call.summary'])];
    fanOut(outputs, sampleEvent('hold.started'), recordingLogger(), noRefusal);
    fanOut(outputs, sampleEvent('call.summary'), recordingLogger(), noRefusal);
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
    fanOut(outputs, sampleEvent('hold.ended'), log, noRefusal);
    expect(journal).toEqual(['x hold.ended', 'y hold.ended', 'z hold.ended', 'w hold.ended']);
    await expect
      .poll(() => log.lines)
      .toEqual([
        'error: outputs[0] (x) failed on hold.ended evt_test_hold.ended',
        'error: outputs[1] (y) failed on hold.ended evt_test_hold.ended',
      ]);
  });

  it("logs a failure an output answers, and hands a confirming output's failure to the caller instead", async () => {
    const journal: string[] = [];
    const log = recordingLogger();
    const refusals: string[] = [];
    const outputs = [
      entry('outputs[0] (rest)', recorder('r', journal, 'refuse')),
      entry('outputs[1] (pbx)', recorder('p', journal, 'refuse', true)),
    ];
    fanOut(
      outputs,
      sampleEvent('hold.started'),
      log,
      (event, reason, by) => void refusals.push(`${by.label} ${event.type} ${reason}`),
    );
    await vi.waitFor(() => expect(refusals).toEqual(['outputs[1] (pbx) hold.started p said no']));
    expect(log.lines).toEqual([
      'error: outputs[0] (rest) could not act on hold.started evt_test_hold.started: r said no',
    ]);
  });
});
