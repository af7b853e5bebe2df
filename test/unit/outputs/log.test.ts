import { describe, expect, it } from 'vitest';
import logOutput, { summarize } from '../../../src/outputs/log.ts';
import { createOutput, outputContext, sampleEvent } from '../../support/fixtures.ts';
import { testOutputConformance } from '../../support/output-conformance.ts';

describe('log output', () => {
  testOutputConformance(logOutput, {});

  it('writes one line per event with the whole event attached', () => {
    const calls: unknown[][] = [];
    const log = { info: (...args: unknown[]) => void calls.push(args), warn: () => {}, error: () => {} };
    const output = createOutput(logOutput, {}, outputContext({ log }));
    const event = sampleEvent('hold.ended', { heldMs: 41250, totalHeldMs: 63010, holdSeq: 2 });
    void output.send(event);
    expect(calls).toEqual([
      ['hold.ended call=E45D40253D1C2D2F.1774588815.822533 hold#2 held=41.3s total=63.0s', event],
    ]);
  });

  it('summarises a call summary with its hold count', () => {
    expect(summarize(sampleEvent('call.summary', { holdSeq: undefined, holdCount: 2, totalHeldMs: 5000 }))).toBe(
      'call.summary call=E45D40253D1C2D2F.1774588815.822533 holds=2 total=5.0s',
    );
    expect(summarize(sampleEvent('hold.started', { callId: null }))).toBe(
      'hold.started call=unknown hold#1 total=0.0s',
    );
  });
});
