import { describe, expect, it, vi } from 'vitest';
import { validateOption } from '../../../src/app/validate.ts';
import { parseHoldRelayOption } from '../../../src/config/hold-relay-option.ts';
import { buildOutputs } from '../../../src/outputs/build-outputs.ts';
import { outputContext, recordingLogger } from '../../support/fixtures.ts';

const URL_RULE = 'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])';
const SECRET = 'whsec_aG9sZC1yZWxheS1leGFtcGxlLXNlY3JldC0yNGI=';

/** What a worker frame logs for the same option (webhook and rest load lazily, so wait for them). */
async function workerErrors(option: unknown): Promise<string[]> {
  const log = recordingLogger();
  const { label: _label, failures: _failures, ...base } = outputContext({ log });
  const parsed = parseHoldRelayOption(option);
  parsed.errors.forEach((e) => log.error(e));
  const outputs = buildOutputs(parsed.outputs, base, log);
  await new Promise((resolve) => setTimeout(resolve, 50));
  outputs.forEach((o) => o.output.dispose?.());
  return log.lines.filter((l) => l.startsWith('error: ')).map((l) => l.slice('error: '.length));
}

describe('checking a configuration before it is saved', () => {
  it('finds nothing wrong with a valid configuration', () => {
    expect(validateOption({ outputs: [{ type: 'log' }, { type: 'callCard' }, { type: 'webhook', url: 'https://pbx.example.com/hold', secret: SECRET }, { type: 'broadcast' }] })).toEqual([]);
  });

  it('refuses http://evil.example/hook with the message a worker frame would log', async () => {
    const option = { outputs: [{ type: 'log' }, { type: 'webhook', url: 'http://evil.example/hook' }] };
    const message = `outputs[1] (webhook): field "url" ${URL_RULE}; this output is disabled`;
    expect(validateOption(option)).toEqual([{ index: 1, field: 'url', detail: URL_RULE, message }]);
    expect(await workerErrors(option)).toEqual([message]);
  });

  it('names every invalid field of one output, where a worker frame logs only the first', () => {
    const issues = validateOption({ outputs: [{ type: 'webhook', url: 'ftp://x', secret: 'hunter2', timeoutMs: 50, confirm: 'yes' }] });
    expect(issues.map((i) => [i.field, i.detail])).toEqual([
      ['url', URL_RULE],
      ['confirm', 'must be true or false'],
      ['timeoutMs', 'must be at least 100'],
      ['secret', 'must start with "whsec_"'],
    ]);
  });

  it('names the shared fields first, as the option’s parser checks them', () => {
    const issues = validateOption({ outputs: [{ type: 'log', on: ['hold.begun'], enabled: 'no' }] });
    expect(issues.map((i) => i.message)).toEqual([
      'outputs[0] (log): field "enabled" must be true or false; this output is disabled',
      'outputs[0] (log): field "on.0" must list event types from: hold.started, hold.ended, hold.failed, call.summary; this output is disabled',
    ]);
    expect(issues.map((i) => i.field)).toEqual(['enabled', 'on']);
  });

  it('names an unknown type as the worker does', async () => {
    const option = { outputs: [{ type: 'fax' }] };
    expect(validateOption(option).map((i) => i.message)).toEqual(await workerErrors(option));
    expect(validateOption(option)[0]).toMatchObject({ index: 0, field: 'type', detail: 'must be one of log, callCard, broadcast, webhook, rest' });
  });

  it('names the params path of an unknown placeholder, field by its top-level key', () => {
    const [issue] = validateOption({ outputs: [{ type: 'rest', method: 'crm.timeline.comment.add', params: { fields: { COMMENT: '{{nope}}' } } }] });
    expect(issue).toMatchObject({ index: 0, field: 'params', detail: 'names an unknown placeholder {{nope}}' });
    expect(issue?.message).toBe('outputs[0] (rest): field "params.fields.COMMENT" names an unknown placeholder {{nope}}; this output is disabled');
  });

  it('leaves a disabled output alone, as the worker does', () => {
    expect(validateOption({ outputs: [{ type: 'webhook', url: 'http://evil.example/hook', enabled: false }] })).toEqual([]);
  });

  it.each([
    ['not JSON', '{"outputs": [', /^option "holdRelay" is not valid JSON/],
    ['not an object', '[]', /^option "holdRelay" must be a JSON object/],
  ])('names an option that is %s as a whole', (_name, raw, message) => {
    const issues = validateOption(raw);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ index: null, field: '' });
    expect(issues[0]?.message).toMatch(message);
  });

  it('delivers nothing and sends nothing while checking a webhook', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    validateOption({ outputs: [{ type: 'webhook', url: 'https://pbx.example.com/hold' }] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    vi.unstubAllGlobals();
    expect(fetch).not.toHaveBeenCalled();
  });
});
