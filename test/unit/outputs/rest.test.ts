import { describe, expect, it } from 'vitest';
import rest from '../../../src/outputs/rest.ts';
import { fillTemplate, findUnknownPlaceholder, templateValues } from '../../../src/outputs/template.ts';
import { createOutput, optionProblems, outputContext, recordingPortal, sampleEvent } from '../../support/fixtures.ts';
import { testOutputConformance } from '../../support/output-conformance.ts';

const TIMELINE = {
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
};

describe('rest output', () => {
  testOutputConformance(rest, TIMELINE);

  it('calls the method with the params filled from the event', async () => {
    const portal = recordingPortal();
    const output = createOutput(rest, TIMELINE, outputContext({ portal }));
    await output.send(sampleEvent('hold.ended', { heldMs: 41_250 }));
    expect(portal.restCalls).toEqual([
      {
        method: 'crm.timeline.comment.add',
        params: { fields: { ENTITY_TYPE: 'CONTACT', ENTITY_ID: 123, COMMENT: 'Call on hold for 41 s' } },
      },
    ]);
  });

  it('with minHeldMs, acts only on a hold at least that long', async () => {
    const portal = recordingPortal();
    const notify = {
      type: 'rest',
      method: 'im.notify.system.add',
      on: ['hold.ended', 'call.summary'],
      minHeldMs: 60_000,
      params: { USER_ID: 1, MESSAGE: 'Long hold: {{heldSeconds}} s' },
    };
    const output = createOutput(rest, notify, outputContext({ portal }));
    await output.send(sampleEvent('hold.ended', { heldMs: 59_999 }));
    await output.send(sampleEvent('hold.ended', { heldMs: 75_000 }));
    await output.send(sampleEvent('call.summary', { longestHoldMs: 30_000, holdCount: 1 }));
    expect(portal.restCalls).toEqual([
      { method: 'im.notify.system.add', params: { USER_ID: 1, MESSAGE: 'Long hold: 75 s' } },
    ]);
  });

  it('refuses a minHeldMs that is not a whole number of 0 or more', () => {
    expect(optionProblems(rest, { ...TIMELINE, minHeldMs: -5 })).toEqual([
      'outputs[0] (rest): field "minHeldMs" must be 0 or more; this output is disabled',
    ]);
  });

  it('answers the portal error code of a failed call, and success otherwise', async () => {
    const portal = recordingPortal({
      rest: () => ({ ok: false, error: 'ACCESS_DENIED', description: 'Access denied!', status: 403 }),
    });
    const failing = createOutput(rest, TIMELINE, outputContext({ portal }));
    expect(await failing.send(sampleEvent('hold.ended', { heldMs: 1000 }))).toEqual({
      ok: false,
      reason: 'crm.timeline.comment.add failed: ACCESS_DENIED (Access denied!)',
    });
    expect(await createOutput(rest, TIMELINE).send(sampleEvent('hold.ended', { heldMs: 1000 }))).toEqual({ ok: true });
  });

  it.each([
    [{ method: 'DROP TABLE' }, 'method', 'must be a REST method name such as crm.timeline.comment.add'],
    [{ method: 'crm' }, 'method', 'must be a REST method name such as crm.timeline.comment.add'],
    [{ params: [1] }, 'params', 'must be an object'],
    [
      { params: { fields: { COMMENT: '{{constructor}}' } } },
      'params',
      'names an unknown placeholder {{constructor}} at fields.COMMENT',
    ],
  ])('refuses %j, naming the field', (options, field, reason) => {
    expect(optionProblems(rest, { ...TIMELINE, ...options })).toEqual([
      `outputs[0] (rest): field "${field}" ${reason}; this output is disabled`,
    ]);
  });

  it('names every problem of an entry at once, not only the first', () => {
    expect(optionProblems(rest, { type: 'rest', method: 'crm', params: [1], minHeldMs: 1.5 })).toEqual([
      'outputs[0] (rest): field "method" must be a REST method name such as crm.timeline.comment.add; this output is disabled',
      'outputs[0] (rest): field "params" must be an object; this output is disabled',
      'outputs[0] (rest): field "minHeldMs" must be a whole number; this output is disabled',
    ]);
  });
});

describe('param templates', () => {
  const values = { crmEntityId: 123, heldSeconds: null, phoneNumber: '+1 (900)', callId: '{{userId}}' };

  it('keeps the value of a string that is exactly one placeholder', () => {
    expect(fillTemplate({ a: '{{crmEntityId}}', b: '{{ heldSeconds }}', c: ['{{phoneNumber}}'] }, values)).toEqual({
      a: 123,
      b: null,
      c: ['+1 (900)'],
    });
  });

  it('writes values into longer strings, empty for null, and never evaluates anything', () => {
    expect(fillTemplate('id {{crmEntityId}}, held {{heldSeconds}} s, ${1+1} {{callId}}', values)).toBe(
      'id 123, held  s, ${1+1} {{userId}}',
    );
  });

  it('lower- or upper-cases a value with |lower or |upper, and refuses any other filter', () => {
    expect(
      fillTemplate(
        { t: '{{crmEntityType|lower}}', u: 'x-{{ direction | upper }}' },
        { crmEntityType: 'CONTACT', direction: 'incoming' },
      ),
    ).toEqual({ t: 'contact', u: 'x-INCOMING' });
    expect(optionProblems(rest, { ...TIMELINE, params: { a: '{{crmEntityType|eval}}' } })[0]).toMatch(
      /unknown placeholder \{\{crmEntityType\|eval\}\}/,
    );
  });

  it("offers every field of the contract's event and whole seconds of the held and talk times, null when unknown", () => {
    const summary = sampleEvent('call.summary', {
      holdCount: 1,
      totalHeldMs: 41_499,
      answeredAt: '2026-11-24T10:00:00.000Z',
      talkMs: 125_600,
    });
    const values = templateValues(summary);
    expect(values).toMatchObject({
      heldSeconds: null,
      totalHeldSeconds: 41,
      talkSeconds: 126,
      answeredAt: '2026-11-24T10:00:00.000Z',
      holdCount: 1,
    });
    expect(templateValues({ ...summary, data: { ...summary.data, answeredAt: null, talkMs: null } })).toMatchObject({
      talkSeconds: null,
      answeredAt: null,
    });
    for (const name of [
      ...Object.keys(summary.data),
      'answeredAt',
      'talkMs',
      'reason',
      'endedBy',
      'heldMs',
      'talkSeconds',
    ]) {
      expect(findUnknownPlaceholder(`{{${name}}}`), name).toBeNull();
    }
    expect(findUnknownPlaceholder('{{talkMinutes}}')).toEqual({ path: '', name: 'talkMinutes' });
  });

  it('leaves numbers, booleans and null as they are', () => {
    expect(fillTemplate({ n: 5, t: true, z: null }, values)).toEqual({ n: 5, t: true, z: null });
  });
});
