// An output that records the events it is sent, for pipeline tests: what reached the outputs is an
// array to compare whole, not log lines to pick apart.
import * as v from 'valibot';
import { afterEach, beforeEach } from 'vitest';
import { HOLD_EVENT_TYPES, type HoldEvent } from '../../src/hold/types.ts';
import { OUTPUTS } from '../../src/outputs/index.ts';
import { defineOutput } from '../../src/outputs/types.ts';

export interface RecordingOutput {
  /** Starts a new record: outputs built from now on (by the next worker frame) push to the array it returns. */
  next(): HoldEvent[];
}

/** Adds the `record` output to the output table for each test of the file, and takes it out after. */
export function useRecordingOutput(): RecordingOutput {
  let sink: HoldEvent[] = [];
  const definition = defineOutput({
    type: 'record',
    title: 'Recorder',
    description: 'Records every event it is sent (tests only).',
    schema: v.object({}),
    fields: [],
    defaultOn: HOLD_EVENT_TYPES,
    create: () => {
      const events = sink;
      return { send: (event) => void events.push(event) };
    },
  });
  beforeEach(() => {
    OUTPUTS.record = definition;
  });
  afterEach(() => {
    delete OUTPUTS.record;
  });
  return {
    next: () => (sink = []),
  };
}
