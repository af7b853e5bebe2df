import { expect, it } from 'vitest';
import { HOLD_EVENT_TYPES } from '../../src/hold/types.ts';
import type { OutputFactory } from '../../src/outputs/types.ts';
import { outputContext, recordingLogger, recordingPortal, sampleEvent } from './fixtures.ts';

/** What every output must do, whatever it is for. Each output's test file runs this first. */
export function testOutputConformance(name: string, factory: OutputFactory, options: Record<string, unknown>): void {
  const make = (portal = recordingPortal()) => {
    const log = recordingLogger();
    const output = factory(options, outputContext({ portal, log, label: `outputs[0] (${name})` }));
    return { output, log, portal };
  };

  it(`${name}: accepts every event type without throwing`, async () => {
    const { output } = make();
    for (const type of HOLD_EVENT_TYPES) await output.send(sampleEvent(type));
    output.dispose?.();
  });

  it(`${name}: survives a portal whose every command fails`, async () => {
    const { output } = make(recordingPortal({ answer: () => ({ ok: false, error: 'Call card is undefined' }) }));
    for (const type of HOLD_EVENT_TYPES) await output.send(sampleEvent(type));
    output.dispose?.();
  });

  it(`${name}: can be disposed twice, and before any event`, () => {
    const { output } = make();
    output.dispose?.();
    output.dispose?.();
  });

  it(`${name}: has a send method and nothing required beyond it`, () => {
    const { output } = make();
    expect(typeof output.send).toBe('function');
    output.dispose?.();
  });
}
