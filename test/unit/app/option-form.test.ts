import { describe, expect, it } from 'vitest';
import {
  defaultOn,
  draftToEntry,
  entryToDraft,
  jsonProblems,
  newOutput,
  readOption,
  setOn,
  setValue,
  writeOption,
  type OptionDraft,
} from '../../../src/app/option-form.ts';
import { catalog } from '../../support/catalog.ts';

const CONTRACT_EXAMPLE = {
  outputs: [
    { type: 'log' },
    { type: 'callCard' },
    {
      type: 'webhook',
      url: 'https://pbx.example.com/bitrix/hold',
      secret: 'whsec_aG9sZC1yZWxheS1leGFtcGxlLXNlY3JldC0yNGI=',
    },
    {
      type: 'rest',
      method: 'crm.timeline.comment.add',
      on: ['hold.ended'],
      params: {
        fields: {
          ENTITY_TYPE: '{{crmEntityType}}',
          ENTITY_ID: '{{crmEntityId}}',
          COMMENT: 'Call on hold for {{heldSeconds}} s',
        },
      },
    },
    { type: 'broadcast' },
  ],
};

function draftOf(raw: unknown): OptionDraft {
  const read = readOption(raw, catalog);
  if (!read.ok) throw new Error(read.reason);
  return read.draft;
}

describe('the settings form and the holdRelay option', () => {
  it('reads the contract example into the form and writes it back unchanged', () => {
    expect(writeOption(draftOf(JSON.stringify(CONTRACT_EXAMPLE)), catalog)).toEqual(CONTRACT_EXAMPLE);
  });

  it('shows each field in its control: text as text, numbers as text, flags as booleans, params as pretty JSON', () => {
    const draft = draftOf({
      outputs: [
        { type: 'webhook', url: 'https://x.example/h', confirm: true, timeoutMs: 2500 },
        CONTRACT_EXAMPLE.outputs[3],
      ],
    });
    expect(draft.outputs[0]).toEqual({
      type: 'webhook',
      enabled: true,
      on: null,
      values: { url: 'https://x.example/h', confirm: true, timeoutMs: '2500' },
      extra: {},
    });
    expect(draft.outputs[1]?.on).toEqual(['hold.ended']);
    expect(draft.outputs[1]?.values.params).toBe(JSON.stringify(CONTRACT_EXAMPLE.outputs[3]?.params, null, 2));
  });

  it('keeps keys the form has no control for, and values its controls cannot hold, exactly as they were', () => {
    const entry = {
      type: 'webhook',
      url: 'https://x.example/h',
      timeoutMs: '3000',
      enabled: 'no',
      on: 'hold.started',
      note: { by: 'integrator' },
    };
    const draft = entryToDraft(entry, catalog);
    expect(draft.extra).toEqual({ timeoutMs: '3000', enabled: 'no', on: 'hold.started', note: { by: 'integrator' } });
    expect(draftToEntry(draft, catalog)).toEqual(entry);
    expect(writeOption(draftOf({ version: 2, outputs: [{ type: 'fax', number: 5 }] }), catalog)).toEqual({
      version: 2,
      outputs: [{ type: 'fax', number: 5 }],
    });
  });

  it('drops a kept value once its control is edited', () => {
    const draft = entryToDraft({ type: 'webhook', url: 'https://x.example/h', timeoutMs: '3000' }, catalog);
    setValue(draft, 'timeoutMs', '4000');
    expect(draftToEntry(draft, catalog)).toEqual({ type: 'webhook', url: 'https://x.example/h', timeoutMs: 4000 });
  });

  it('leaves out empty optional fields, unticked flags and the default event list', () => {
    const output = newOutput('webhook');
    setValue(output, 'url', ' https://x.example/h ');
    setValue(output, 'secret', '');
    setValue(output, 'includeAuth', false);
    setValue(output, 'maxAgeMs', '');
    setOn(output, [...defaultOn('webhook', catalog)].reverse());
    expect(draftToEntry(output, catalog)).toEqual({ type: 'webhook', url: 'https://x.example/h' });
  });

  it('writes an empty required field, so the output names it rather than calling it missing', () => {
    expect(draftToEntry(newOutput('webhook'), catalog)).toEqual({ type: 'webhook', url: '' });
    expect(draftToEntry(newOutput('rest'), catalog)).toEqual({ type: 'rest', method: '' });
  });

  it('writes a number the admin typed as a number, and anything else as typed for the validator to name', () => {
    const output = newOutput('webhook');
    setValue(output, 'url', 'https://x.example/h');
    setValue(output, 'timeoutMs', '1500');
    setValue(output, 'maxAgeMs', 'a day');
    expect(draftToEntry(output, catalog)).toMatchObject({ timeoutMs: 1500, maxAgeMs: 'a day' });
  });

  it('writes the event list in the contract order, and an emptied list as empty', () => {
    const output = newOutput('log');
    setOn(output, ['call.summary', 'hold.started']);
    expect(draftToEntry(output, catalog).on).toEqual(['hold.started', 'call.summary']);
    setOn(output, []);
    expect(draftToEntry(output, catalog).on).toEqual([]);
  });

  it('uses the worker’s own defaults: callCard also takes hold.failed', () => {
    expect(defaultOn('log', catalog)).toEqual(['hold.started', 'hold.ended']);
    expect(defaultOn('callCard', catalog)).toEqual(['hold.started', 'hold.ended', 'hold.failed']);
  });

  it('names params that are not valid JSON instead of saving them', () => {
    const draft: OptionDraft = { outputs: [newOutput('rest')], extra: {} };
    setValue(draft.outputs[0] as never, 'params', '{"fields": ');
    expect(jsonProblems(draft, catalog)).toEqual([[0, 'params', expect.stringMatching(/JSON/)]]);
  });

  it.each([
    ['no option', undefined, true],
    ['the portal’s empty list', [], true],
    ['not JSON', '{"outputs": [', false],
    ['an array', '[1]', false],
    ['outputs not a list', '{"outputs": {}}', false],
    ['an entry without a type', '{"outputs": [{"url": "x"}]}', false],
  ])('reads %s into the form: %s', (_name, raw, ok) => {
    expect(readOption(raw, catalog).ok).toBe(ok);
  });
});
