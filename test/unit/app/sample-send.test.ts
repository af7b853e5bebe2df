import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleEvent as testEvent, sendSampleEvent } from '../../../src/app/sample-send.ts';
import { catalog } from '../../support/catalog.ts';
import { recordingLogger, recordingPortal } from '../../support/fixtures.ts';

const sendTestEvent = (
  option: unknown,
  portal: ReturnType<typeof recordingPortal>,
  log: ReturnType<typeof recordingLogger>,
) => sendSampleEvent(option, catalog, portal, log);

const SECRET = 'whsec_aG9sZC1yZWxheS1leGFtcGxlLXNlY3JldC0yNGI=';

function receiver(status: number) {
  const requests: { url: string; headers: Record<string, string>; body: string }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      requests.push({ url, headers: init.headers as Record<string, string>, body: String(init.body) });
      return new Response(null, { status });
    }),
  );
  return requests;
}

describe('sending a test event through the configured outputs', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reports each output’s result, running only those that change nothing in the portal', async () => {
    const requests = receiver(204);
    const portal = recordingPortal();
    const log = recordingLogger();
    const option = {
      outputs: [
        { type: 'log' },
        { type: 'callCard' },
        { type: 'webhook', url: 'https://pbx.example.com/hold', secret: SECRET },
        {
          type: 'rest',
          method: 'crm.timeline.comment.add',
          params: { fields: { COMMENT: 'held {{type}}', ENTITY_ID: '{{crmEntityId}}' } },
        },
        { type: 'broadcast', channel: 'test-channel' },
        { type: 'webhook', url: 'https://disabled.example.com/', enabled: false },
      ],
    };
    const results = await sendTestEvent(option, portal, log);
    expect(results.map((r) => [r.label, r.outcome, r.note])).toEqual([
      ['outputs[0] (log)', 'sent', 'log'],
      ['outputs[1] (callCard)', 'skipped', 'callCard'],
      ['outputs[2] (webhook)', 'delivered', 'webhook'],
      ['outputs[3] (rest)', 'described', 'rest'],
      ['outputs[4] (broadcast)', 'sent', 'broadcast'],
    ]);
    expect(results[3]?.values).toEqual({
      method: 'crm.timeline.comment.add',
      params: '{"fields":{"COMMENT":"held hold.started","ENTITY_ID":null}}',
    });
    expect(portal.restCalls).toEqual([]);
    expect(portal.commands).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers['webhook-id']).toMatch(/^evt_test_/);
    expect(requests[0]?.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(requests[0]?.body ?? '{}')).toMatchObject({
      type: 'hold.started',
      data: { callId: expect.stringMatching(/^test-/), held: true },
    });
    expect(log.lines).toEqual([expect.stringMatching(/^info: hold\.started call=test-\d+ hold#1 total=0\.0s$/)]);
  });

  it('says why a receiver did not take it', async () => {
    receiver(410);
    const [result] = await sendTestEvent(
      { outputs: [{ type: 'webhook', url: 'https://pbx.example.com/hold' }] },
      recordingPortal(),
      recordingLogger(),
    );
    expect(result).toMatchObject({ outcome: 'failed', note: 'refused', values: { reason: 'HTTP 410 Gone' } });
  });

  it('lists an invalid output as failed, with the worker’s message, and still runs the others', async () => {
    const results = await sendTestEvent(
      { outputs: [{ type: 'log', on: 'all' }, { type: 'log' }] },
      recordingPortal(),
      recordingLogger(),
    );
    expect(results.map((r) => r.outcome)).toEqual(['sent', 'failed']);
    expect(results[1]?.values.message).toBe('outputs[0] (log): field "on" must be an array; this output is disabled');
  });

  it('marks the test event so receivers can tell it from a real one', () => {
    const event = testEvent(recordingPortal(), 1_700_000_000_000);
    expect(event).toMatchObject({
      id: `evt_test_${(1_700_000_000_000).toString(36)}`,
      type: 'hold.started',
      data: { callId: 'test-1700000000000', domain: 'example.bitrix24.com' },
    });
  });
});
