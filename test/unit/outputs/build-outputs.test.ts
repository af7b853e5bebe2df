import { describe, expect, it, vi } from 'vitest';
import { createExclusive } from '../../../src/delivery/exclusive.ts';
import { memoryOutbox } from '../../../src/delivery/outbox-store.ts';
import { journalKeyOf } from '../../../src/delivery/pending-journal.ts';
import { parseHoldRelayOption } from '../../../src/config/hold-relay-option.ts';
import { buildOutputs } from '../../../src/outputs/build-outputs.ts';
import { issueText } from '../../../src/config/issues.ts';
import { outputTypes } from '../../../src/outputs/index.ts';
import { outputContext, recordingLogger } from '../../support/fixtures.ts';

function build(option: unknown) {
  const log = recordingLogger();
  const { label: _label, journal: _journal, ...base } = outputContext({ log });
  const parsed = parseHoldRelayOption(option, outputTypes());
  parsed.issues.forEach((issue) => log.error(issueText(issue)));
  const outputs = buildOutputs(parsed.outputs, base);
  return { outputs, log };
}

describe('building the configured outputs', () => {
  it("gives each output its definition's default events, so callCard hears of a failed confirmed hold", () => {
    const { outputs, log } = build({
      outputs: [{ type: 'log', on: ['call.summary'] }, { type: 'callCard' }, { type: 'broadcast' }],
    });
    expect(outputs.map((o) => [o.label, [...o.on]])).toEqual([
      ['outputs[0] (log)', ['call.summary']],
      ['outputs[1] (callCard)', ['hold.started', 'hold.ended', 'hold.failed']],
      ['outputs[2] (broadcast)', ['hold.started', 'hold.ended']],
    ]);
    expect(log.lines).toEqual([]);
    outputs.forEach((o) => o.output.dispose?.());
  });

  it('disables an unknown type with one error naming it, and keeps the rest', () => {
    const { outputs, log } = build({ outputs: [{ type: 'fax' }, { type: 'log' }, { type: 'toString' }] });
    expect(outputs.map((o) => o.label)).toEqual(['outputs[1] (log)']);
    expect(log.lines).toEqual([
      'error: outputs[0] (fax): field "type" must be one of log, callCard, broadcast, webhook, rest, server; this output is disabled',
      'error: outputs[2] (toString): field "type" must be one of log, callCard, broadcast, webhook, rest, server; this output is disabled',
    ]);
  });

  it('sorts the events of an output loaded on demand by its definition once loaded, in order', async () => {
    const { outputs } = build({ outputs: [{ type: 'rest', method: 'im.notify.system.add', params: {} }] });
    const [rest] = outputs;
    expect(rest?.label).toBe('outputs[0] (rest)');
    expect(
      await rest?.output.send({ id: 'e1', type: 'call.summary', timestamp: '', data: {} } as never),
    ).toBeUndefined();
  });

  it('disables an output whose own options are invalid, naming the field', () => {
    const { outputs, log } = build({ outputs: [{ type: 'broadcast', channel: 'no spaces allowed' }, { type: 'log' }] });
    expect(outputs.map((o) => o.label)).toEqual(['outputs[1] (log)']);
    expect(log.lines).toEqual([
      'error: outputs[0] (broadcast): field "channel" must be 1 to 64 letters, digits or ._:-; this output is disabled',
    ]);
  });

  it('lets each definition settle its journal entries: a confirming webhook and a rest call keep none, a queued webhook its own types', async () => {
    const option = {
      outputs: [
        { type: 'webhook', url: 'https://pbx.example.com/a', confirm: true },
        { type: 'rest', method: 'im.notify.system.add', params: {} },
        { type: 'webhook', url: 'https://pbx.example.com/b' },
        { type: 'log' },
      ],
    };
    const parsed = parseHoldRelayOption(option, outputTypes());
    const settled: [string, string[] | null][] = [];
    const journal = {
      record: () => undefined,
      view: () => ({ pending: () => [], taken: () => undefined }),
      settle: (key: string, on: ReadonlySet<string> | null) => void settled.push([key, on && [...on]]),
    };
    const { label: _label, journal: _journal, ...base } = outputContext({ log: recordingLogger() });
    const outputs = buildOutputs(parsed.outputs, {
      ...base,
      delivery: { outbox: Promise.resolve(memoryOutbox()), exclusive: createExclusive(undefined) },
      journal,
    });
    const keys = parsed.outputs.map(journalKeyOf);
    await vi.waitFor(() => expect(settled).toHaveLength(4));
    expect(new Map(settled)).toEqual(
      new Map([
        [keys[0], null],
        [keys[1], null],
        [keys[2], ['hold.started', 'hold.ended']],
        [keys[3], null],
      ]),
    );
    outputs.forEach((o) => o.output.dispose?.());
  });
});
