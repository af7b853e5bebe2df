// @vitest-environment happy-dom
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCatalog } from '../../../src/app/catalog.ts';
import { newOutput, writeOption } from '../../../src/app/option-form.ts';
import { outputsForm, showFieldIssues } from '../../../src/app/outputs-form.ts';
import { textsFor } from '../../../src/app/i18n/index.ts';
import { validateOption } from '../../../src/app/validate.ts';
import { parseHoldRelayOption } from '../../../src/config/hold-relay-option.ts';
import { issueText, topField } from '../../../src/config/issues.ts';
import { buildOutputs } from '../../../src/outputs/build-outputs.ts';
import { OUTPUTS, outputTypes } from '../../../src/outputs/index.ts';
import { defineOutput } from '../../../src/outputs/types.ts';
import { catalog } from '../../support/catalog.ts';
import { outputContext, recordingLogger } from '../../support/fixtures.ts';

const URL_RULE = 'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])';
const SECRET = 'whsec_aG9sZC1yZWxheS1leGFtcGxlLXNlY3JldC0yNGI=';
const check = (option: unknown) => validateOption(option, catalog);
const messages = (option: unknown) => check(option).map(issueText);

/** What a worker frame logs for the same option (webhook and rest load lazily, so wait for them). */
async function workerErrors(option: unknown): Promise<string[]> {
  const log = recordingLogger();
  const { label: _label, journal: _journal, ...base } = outputContext({ log });
  const parsed = parseHoldRelayOption(option, outputTypes());
  parsed.issues.forEach((issue) => log.error(issueText(issue)));
  const outputs = buildOutputs(parsed.outputs, base);
  await vi.waitFor(() => expect(log.lines.length).toBeGreaterThan(0));
  outputs.forEach((o) => o.output.dispose?.());
  return log.lines.filter((l) => l.startsWith('error: ')).map((l) => l.slice('error: '.length));
}

describe('checking a configuration before it is saved', () => {
  it('finds nothing wrong with a valid configuration', () => {
    expect(
      check({
        outputs: [
          { type: 'log' },
          { type: 'callCard' },
          { type: 'webhook', url: 'https://pbx.example.com/hold', secret: SECRET },
          { type: 'broadcast' },
        ],
      }),
    ).toEqual([]);
  });

  it('refuses http://evil.example/hook with the message a worker frame would log', async () => {
    const option = { outputs: [{ type: 'log' }, { type: 'webhook', url: 'http://evil.example/hook' }] };
    expect(check(option)).toEqual([{ index: 1, type: 'webhook', field: 'url', message: URL_RULE }]);
    expect(await workerErrors(option)).toEqual([
      `outputs[1] (webhook): field "url" ${URL_RULE}; this output is disabled`,
    ]);
  });

  it('names every invalid field of one output, as the worker logs them', async () => {
    const option = { outputs: [{ type: 'webhook', url: 'ftp://x', secret: 'hunter2', timeoutMs: 50, confirm: 'yes' }] };
    expect(check(option).map((i) => [i.field, i.message])).toEqual([
      ['url', URL_RULE],
      ['secret', 'must start with "whsec_"'],
      ['confirm', 'must be true or false'],
      ['timeoutMs', 'must be at least 100'],
    ]);
    expect(await workerErrors(option)).toEqual(messages(option));
  });

  it('names the shared fields of an entry, each at its path', () => {
    const issues = check({ outputs: [{ type: 'log', on: ['hold.begun'], enabled: 'no' }] });
    expect(issues.map(issueText)).toEqual([
      'outputs[0] (log): field "enabled" must be true or false; this output is disabled',
      'outputs[0] (log): field "on.0" must list event types from: hold.started, hold.ended, hold.failed, call.summary; this output is disabled',
    ]);
    expect(issues.map(topField)).toEqual(['enabled', 'on']);
  });

  it('names an unknown type as the worker does', async () => {
    const option = { outputs: [{ type: 'fax' }] };
    expect(messages(option)).toEqual(await workerErrors(option));
    expect(check(option)[0]).toMatchObject({
      index: 0,
      field: 'type',
      message: 'must be one of log, callCard, broadcast, webhook, rest, server',
    });
  });

  it('names the params path of an unknown placeholder under the params field', () => {
    const [issue] = check({
      outputs: [{ type: 'rest', method: 'crm.timeline.comment.add', params: { fields: { COMMENT: '{{nope}}' } } }],
    });
    expect(issue).toMatchObject({
      index: 0,
      field: 'params',
      message: 'names an unknown placeholder {{nope}} at fields.COMMENT',
    });
  });

  it('leaves a disabled output alone, as the worker does', () => {
    expect(check({ outputs: [{ type: 'webhook', url: 'http://evil.example/hook', enabled: false }] })).toEqual([]);
  });

  it.each([
    ['not JSON', '{"outputs": [', /^option "holdRelay" is not valid JSON/],
    ['not an object', '[]', /^option "holdRelay" must be a JSON object/],
  ])('names an option that is %s as a whole', (_name, raw, message) => {
    const issues = check(raw);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ index: null, field: '' });
    expect(issues[0]?.message).toMatch(message);
  });

  it('delivers nothing and sends nothing while checking a webhook', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    vi.useFakeTimers();
    try {
      check({ outputs: [{ type: 'webhook', url: 'https://pbx.example.com/hold' }] });
      await vi.runAllTimersAsync(); // whatever a check would send later, it has sent by now
    } finally {
      vi.useRealTimers();
      vi.unstubAllGlobals();
    }
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('an output added by one file and one table line', () => {
  afterEach(() => {
    delete OUTPUTS.pager;
  });

  it('appears in the form with its fields and gets per-field errors from its schema, with no other change', async () => {
    OUTPUTS.pager = async () => ({
      default: defineOutput({
        type: 'pager',
        title: 'Pager',
        description: 'Pages the supervisor.',
        schema: v.object({
          number: v.pipe(v.string('must be a string'), v.regex(/^\d{3,}$/, 'must be at least 3 digits')),
          loud: v.optional(v.boolean('must be true or false')),
        }),
        fields: [
          { key: 'number', kind: 'text', label: 'Pager number' },
          { key: 'loud', kind: 'boolean', label: 'Loud' },
        ],
        create: () => ({ send: () => undefined }),
      }),
    });
    const withPager = await loadCatalog();
    expect(withPager.types).toContain('pager');

    const draft = { outputs: [newOutput('pager')], extra: {} };
    const form = outputsForm(
      draft,
      textsFor('en'),
      false,
      { changed: () => undefined, restructure: () => undefined },
      withPager,
    );
    document.body.replaceChildren(form);
    expect(form.querySelector('label[for="o0-number"]')?.textContent).toBe('Pager number *');
    expect(form.querySelector<HTMLInputElement>('[data-testid="output-0-loud"]')?.type).toBe('checkbox');
    expect(form.querySelector('.type-hint')?.textContent).toBe('Pages the supervisor.');

    const option = writeOption(draft, withPager);
    expect(option).toEqual({ outputs: [{ type: 'pager', number: '' }] });
    const issues = validateOption({ outputs: [{ type: 'pager', number: '12', loud: 'yes' }] }, withPager);
    expect(issues.map(issueText)).toEqual([
      'outputs[0] (pager): field "number" must be at least 3 digits; this output is disabled',
      'outputs[0] (pager): field "loud" must be true or false; this output is disabled',
    ]);
    showFieldIssues(form, issues);
    expect(form.querySelector('#o0-number')?.getAttribute('aria-invalid')).toBe('true');
    expect(form.querySelector('#o0-number-error')?.textContent).toBe('must be at least 3 digits');
  });
});
