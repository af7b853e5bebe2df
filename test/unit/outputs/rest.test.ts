import { describe, expect, it } from 'vitest';
import { OutputConfigError } from '../../../src/outputs/errors.ts';
import createRestOutput from '../../../src/outputs/rest.ts';
import { fillTemplate } from '../../../src/outputs/template.ts';
import { outputContext, recordingLogger, recordingPortal, sampleEvent } from '../../support/fixtures.ts';
import { testOutputConformance } from '../../support/output-conformance.ts';

const TIMELINE = {
  type: 'rest',
  method: 'crm.timeline.comment.add',
  on: ['hold.ended'],
  params: { fields: { ENTITY_TYPE: '{{crmEntityType}}', ENTITY_ID: '{{crmEntityId}}', COMMENT: 'Call on hold for {{heldSeconds}} s' } },
};

describe('rest output', () => {
  testOutputConformance('rest', createRestOutput, TIMELINE);

  it('calls the method with the params filled from the event', async () => {
    const portal = recordingPortal();
    const output = createRestOutput(TIMELINE, outputContext({ portal }));
    await output.send(sampleEvent('hold.ended', { heldMs: 41_250 }));
    expect(portal.restCalls).toEqual([
      { method: 'crm.timeline.comment.add', params: { fields: { ENTITY_TYPE: 'CONTACT', ENTITY_ID: 123, COMMENT: 'Call on hold for 41 s' } } },
    ]);
  });

  it('with minHeldMs, acts only on a hold at least that long', async () => {
    const portal = recordingPortal();
    const notify = { type: 'rest', method: 'im.notify.system.add', on: ['hold.ended', 'call.summary'], minHeldMs: 60_000, params: { USER_ID: 1, MESSAGE: 'Long hold: {{heldSeconds}} s' } };
    const output = createRestOutput(notify, outputContext({ portal }));
    await output.send(sampleEvent('hold.ended', { heldMs: 59_999 }));
    await output.send(sampleEvent('hold.ended', { heldMs: 75_000 }));
    await output.send(sampleEvent('call.summary', { longestHoldMs: 30_000, holdCount: 1 }));
    expect(portal.restCalls).toEqual([{ method: 'im.notify.system.add', params: { USER_ID: 1, MESSAGE: 'Long hold: 75 s' } }]);
  });

  it('refuses a minHeldMs that is not a whole number of 0 or more', () => {
    expect(() => createRestOutput({ ...TIMELINE, minHeldMs: -5 }, outputContext({ label: 'outputs[1] (rest)' }))).toThrow(/field "minHeldMs" must be 0 or more/);
  });

  it('logs the portal error code of a failed call, naming the output', async () => {
    const portal = recordingPortal({ rest: () => ({ ok: false, error: 'ACCESS_DENIED', description: 'Access denied!', status: 403 }) });
    const log = recordingLogger();
    const output = createRestOutput(TIMELINE, outputContext({ portal, log, label: 'outputs[3] (rest)' }));
    await output.send(sampleEvent('hold.ended', { heldMs: 1000 }));
    expect(log.lines).toEqual(['error: outputs[3] (rest): crm.timeline.comment.add failed for hold.ended evt_test_hold.ended: ACCESS_DENIED (Access denied!)']);
  });

  it.each([
    [{ method: 'DROP TABLE' }, 'method', 'must be a REST method name such as crm.timeline.comment.add'],
    [{ method: 'crm' }, 'method', 'must be a REST method name such as crm.timeline.comment.add'],
    [{ params: [1] }, 'params', 'must be an object'],
    [{ params: { fields: { COMMENT: '{{constructor}}' } } }, 'params.fields.COMMENT', 'names an unknown placeholder {{constructor}}'],
  ])('refuses %j, naming the field', (options, field, reason) => {
    const context = outputContext({ label: 'outputs[3] (rest)' });
    expect(() => createRestOutput({ ...TIMELINE, ...options }, context)).toThrow(new OutputConfigError('outputs[3] (rest)', field, reason));
  });
});

describe('param templates', () => {
  const values = { crmEntityId: 123, heldSeconds: null, phoneNumber: '+1 (900)', callId: '{{userId}}' };

  it('keeps the value of a string that is exactly one placeholder', () => {
    expect(fillTemplate({ a: '{{crmEntityId}}', b: '{{ heldSeconds }}', c: ['{{phoneNumber}}'] }, values)).toEqual({ a: 123, b: null, c: ['+1 (900)'] });
  });

  it('writes values into longer strings, empty for null, and never evaluates anything', () => {
    expect(fillTemplate('id {{crmEntityId}}, held {{heldSeconds}} s, ${1+1} {{callId}}', values)).toBe('id 123, held  s, ${1+1} {{userId}}');
  });

  it('lower- or upper-cases a value with |lower or |upper, and refuses any other filter', () => {
    expect(fillTemplate({ t: '{{crmEntityType|lower}}', u: 'x-{{ direction | upper }}' }, { crmEntityType: 'CONTACT', direction: 'incoming' })).toEqual({ t: 'contact', u: 'x-INCOMING' });
    expect(() => createRestOutput({ ...TIMELINE, params: { a: '{{crmEntityType|eval}}' } }, outputContext({ label: 'outputs[1] (rest)' }))).toThrow(/unknown placeholder \{\{crmEntityType\|eval\}\}/);
  });

  it('leaves numbers, booleans and null as they are', () => {
    expect(fillTemplate({ n: 5, t: true, z: null }, values)).toEqual({ n: 5, t: true, z: null });
  });
});
