import { expect, it } from 'vitest';
import { HOLD_EVENT_TYPES } from '../../src/hold/types.ts';
import type { AnyOutputDefinition } from '../../src/outputs/types.ts';
import { createOutput, outputContext, recordingLogger, recordingPortal, sampleEvent } from './fixtures.ts';

/** What every output must do, whatever it is for. Each output's test file runs this first. */
export function testOutputConformance(definition: AnyOutputDefinition, options: Record<string, unknown>): void {
  const name = definition.type;
  const make = (portal = recordingPortal()) => {
    const log = recordingLogger();
    const output = createOutput(
      definition,
      { type: name, ...options },
      outputContext({ portal, log, label: `outputs[0] (${name})` }),
    );
    return { output, log, portal };
  };

  it(`${name}: answers every event type with nothing or an outcome, never a throw`, async () => {
    const { output } = make();
    for (const type of HOLD_EVENT_TYPES) {
      const outcome = await output.send(sampleEvent(type));
      expect(outcome === undefined || typeof outcome.ok === 'boolean').toBe(true);
    }
    output.dispose?.();
  });

  it(`${name}: answers a portal whose every command and REST call fails without throwing`, async () => {
    const portal = recordingPortal({
      answer: () => ({ ok: false, error: 'Call card is undefined' }),
      rest: () => ({ ok: false, error: 'NO_AUTH_FOUND', description: '', status: 401 }),
    });
    const { output } = make(portal);
    for (const type of HOLD_EVENT_TYPES)
      await expect(Promise.resolve(output.send(sampleEvent(type)))).resolves.not.toThrow();
    output.dispose?.();
  });

  it(`${name}: can be disposed twice, and before any event`, () => {
    const { output } = make();
    expect(() => {
      output.dispose?.();
      output.dispose?.();
    }).not.toThrow();
  });

  it(`${name}: its form lists only fields its schema knows, each once`, () => {
    const keys = definition.fields.map((field) => field.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(Object.keys(definition.schema.entries)).toContain(key);
  });
}
