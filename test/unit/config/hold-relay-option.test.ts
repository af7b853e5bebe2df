import { describe, expect, it } from 'vitest';
import { MAX_OUTPUTS, parseHoldRelayOption as parseWith } from '../../../src/config/hold-relay-option.ts';
import { issueText } from '../../../src/config/issues.ts';
import { outputTypes } from '../../../src/outputs/index.ts';

const parseHoldRelayOption = (raw: unknown) => {
  const parsed = parseWith(raw, outputTypes());
  return { outputs: parsed.outputs, errors: parsed.issues.map(issueText), logOnly: parsed.logOnly };
};
const types = (raw: unknown) => parseHoldRelayOption(raw).outputs.map((o) => o.type);

describe('the holdRelay option', () => {
  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['an empty list (how the portal sends no options)', []],
    ['without outputs', '{}'],
  ])('means the log output only when %s', (_name, raw) => {
    expect(parseHoldRelayOption(raw)).toEqual({
      outputs: [{ index: -1, label: 'default (log)', type: 'log', on: null, options: { type: 'log' } }],
      errors: [],
      logOnly: false,
    });
  });

  it('reads a JSON string and an already-parsed object alike', () => {
    const option = { outputs: [{ type: 'log' }, { type: 'callCard', on: ['hold.started'] }] };
    expect(parseHoldRelayOption(JSON.stringify(option))).toEqual(parseHoldRelayOption(option));
    expect(parseHoldRelayOption(option).outputs.map((o) => [o.label, o.on])).toEqual([
      ['outputs[0] (log)', null],
      ['outputs[1] (callCard)', ['hold.started']],
    ]);
  });

  it('names every problem of an entry at once, and an unknown type with the known ones', () => {
    expect(parseHoldRelayOption({ outputs: [{ type: 'log', on: [], enabled: 'no' }, { type: 'fax' }] }).errors).toEqual(
      [
        'outputs[0] (log): field "enabled" must be true or false; this output is disabled',
        'outputs[0] (log): field "on" must list at least one event type; this output is disabled',
        'outputs[1] (fax): field "type" must be one of log, callCard, broadcast, webhook, rest, server; this output is disabled',
      ],
    );
  });

  it('leaves out a disabled output without an error', () => {
    expect(parseHoldRelayOption({ outputs: [{ type: 'log', enabled: false }, { type: 'broadcast' }] })).toMatchObject({
      outputs: [{ type: 'broadcast' }],
      errors: [],
    });
  });

  it.each([
    [{ type: 'log', on: 'hold.started' }, 'outputs[0] (log): field "on" must be an array; this output is disabled'],
    [
      { type: 'log', on: [] },
      'outputs[0] (log): field "on" must list at least one event type; this output is disabled',
    ],
    [
      { type: 'log', on: ['hold.begun'] },
      'outputs[0] (log): field "on.0" must list event types from: hold.started, hold.ended, hold.failed, call.summary; this output is disabled',
    ],
    [
      { type: 'log', enabled: 'no' },
      'outputs[0] (log): field "enabled" must be true or false; this output is disabled',
    ],
    [{ type: 5 }, 'outputs[0] (?): field "type" must be a string; this output is disabled'],
    ['log', 'outputs[0] (?): must be an object like {"type": "log"}; this output is disabled'],
  ])('disables only the broken entry %j, naming it and the field', (entry, message) => {
    const parsed = parseHoldRelayOption({ outputs: [entry, { type: 'callCard' }] });
    expect(parsed.errors).toEqual([message]);
    expect(parsed.outputs.map((o) => o.type)).toEqual(['callCard']);
  });

  it.each([
    ['not JSON', '{"outputs": [', /^option "holdRelay" is not valid JSON/],
    ['a JSON array', '[1]', /^option "holdRelay" must be a JSON object/],
    ['a number', 42, /^option "holdRelay" must be a JSON object/],
    ['outputs not a list', { outputs: { type: 'log' } }, /^option "holdRelay": "outputs" must be an array/],
  ])('falls back to the log output with one clear error when the option is %s', (_name, raw, message) => {
    const parsed = parseHoldRelayOption(raw);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatch(message);
    expect(parsed.errors[0]).toMatch(/using the log output only until an admin fixes it$/);
    expect(parsed.logOnly).toBe(true);
    expect(types(raw)).toEqual(['log']);
  });

  it(`uses at most ${MAX_OUTPUTS} outputs and says so`, () => {
    const parsed = parseHoldRelayOption({ outputs: Array.from({ length: MAX_OUTPUTS + 5 }, () => ({ type: 'log' })) });
    expect(parsed.outputs).toHaveLength(MAX_OUTPUTS);
    expect(parsed.errors).toEqual([`option "holdRelay": only the first ${MAX_OUTPUTS} outputs are used`]);
  });
});
