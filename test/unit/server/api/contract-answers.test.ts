// @vitest-environment node
// The real server's answers against the contract's schemas (src/contract/api-routes.ts), route by
// route: the API reference in docs/ is tested against the same schemas, so the reference shows
// what the server really answers.
import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import { API_ROUTES, type ApiRoute } from '../../../../src/contract/api-routes.ts';
import { holdEvents, summaryEvent } from '../../../support/hold-events.ts';
import { installApp } from '../../../support/install-app.ts';
import { useStatsStack } from '../../../support/use-stats-stack.ts';
import { startReceiver } from '../../../support/webhook-receiver.ts';

const stack = useStatsStack({ WEBHOOKS_ALLOW_PRIVATE: '1' }, { credentials: true });
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** The answer's body, after checking its status, and the schema's complaints about it (none expected). */
async function problems(
  route: ApiRoute,
  answer: Response,
  status = 200,
): Promise<{ body: unknown; problems: string[] }> {
  expect(answer.status, `${route} answered ${answer.status}`).toBe(status);
  const body: unknown = await answer.json();
  const schema = API_ROUTES[route] as v.GenericSchema;
  const result = v.safeParse(schema, body);
  return {
    body,
    problems: result.issues?.map((issue) => `${route} ${v.getDotPath(issue) ?? ''}: ${issue.message}`) ?? [],
  };
}

describe('the real server answers each /api route as the contract says', () => {
  it('for the status, the events, the reports and the deletion', async () => {
    const found: string[] = [];
    const check = async (route: ApiRoute, answer: Response, status?: number) =>
      found.push(...(await problems(route, answer, status)).problems);
    await check('GET /api/status', await stack.api('/api/status', { token: null, domain: null }));
    const events = [
      ...holdEvents({
        callId: 'c1',
        start: minutesAgo(30),
        heldMs: 12_000,
        endedBy: 'hangup',
        phoneNumber: '+4930123456',
      }),
      summaryEvent('c1', minutesAgo(29), 1, { answeredAt: minutesAgo(31), talkMs: 120_000 }),
    ];
    await check('POST /api/events', await stack.api('/api/events', { token: stack.tokenFor(7), body: { events } }));
    await stack.api('/api/events', {
      token: stack.tokenFor(7),
      body: { events: [holdEvents({ callId: 'c2', start: minutesAgo(1), heldMs: 0 })[0]] },
    });
    await check('GET /api/report', await stack.api('/api/report?by=hour&tz=Europe/Berlin'));
    await check('GET /api/report', await stack.api('/api/report?lineNumber=reg151083'));
    await check('GET /api/report/holds', await stack.api('/api/report/holds?sort=longest'));
    await check('GET /api/report/live', await stack.api('/api/report/live'));
    await check('DELETE /api/report/data', await stack.api('/api/report/data', { method: 'DELETE' }));
    expect(found).toEqual([]);
  });

  it('for the webhooks, their delivery log and the confirm mode', async () => {
    const found: string[] = [];
    const check = async (route: ApiRoute, answer: Response, status?: number) => {
      const checked = await problems(route, answer, status);
      found.push(...checked.problems);
      return checked.body as Record<string, unknown>;
    };
    const receiver = await startReceiver();
    try {
      const created = await check(
        'POST /api/webhooks',
        await stack.api('/api/webhooks', { body: { url: receiver.url, confirm: true } }),
        201,
      );
      const id = String(created.id);
      await check('POST /api/webhooks/:id/rotate', await stack.api(`/api/webhooks/${id}/rotate`, { method: 'POST' }));
      const [started] = holdEvents({ callId: 'c3', start: minutesAgo(0), heldMs: 0 });
      await check(
        'POST /api/confirm',
        await stack.api('/api/confirm', { token: stack.tokenFor(7), body: { event: started, timeoutMs: 2000 } }),
      );
      receiver.status = 500;
      await check(
        'POST /api/confirm',
        await stack.api('/api/confirm', {
          token: stack.tokenFor(7),
          body: { event: { ...started, id: 'evt_c3_refused' }, timeoutMs: 2000 },
        }),
      );
      await check('GET /api/webhooks', await stack.api('/api/webhooks'));
      const log = await vi.waitFor(async () => {
        const answer = await check(
          'GET /api/webhooks/:id/deliveries',
          await stack.api(`/api/webhooks/${id}/deliveries`),
        );
        const deliveries = answer.deliveries as { id: string }[];
        expect(deliveries.length).toBeGreaterThan(0);
        return deliveries;
      });
      await check(
        'POST /api/webhooks/:id/deliveries/:deliveryId/retry',
        await stack.api(`/api/webhooks/${id}/deliveries/${log[0]?.id ?? ''}/retry`, { method: 'POST' }),
        202,
      );
      await check('DELETE /api/webhooks/:id', await stack.api(`/api/webhooks/${id}`, { method: 'DELETE' }));
    } finally {
      await receiver.close();
    }
    expect(found).toEqual([]);
  });

  it("for the app's own credentials and the alerts", async () => {
    const found: string[] = [];
    const check = async (route: ApiRoute, answer: Response, status?: number) =>
      found.push(...(await problems(route, answer, status)).problems);
    await check('GET /api/portal/status', await stack.api('/api/portal/status'));
    const delivery = await installApp(stack);
    found.push(
      ...(v
        .safeParse(API_ROUTES['POST /api/portal/events'], JSON.parse(delivery.answer))
        .issues?.map((issue) => `POST /api/portal/events: ${issue.message}`) ?? []),
    );
    await check('GET /api/portal/status', await stack.api('/api/portal/status'));
    await check('GET /api/settings/alerts', await stack.api('/api/settings/alerts'));
    const settings = {
      holdAlertSec: 60,
      supervisors: [1],
      onHangupWhileHeld: true,
      digest: { hour: 9, tz: 'Europe/Berlin', to: [1] },
    };
    await check('PUT /api/settings/alerts', await stack.api('/api/settings/alerts', { method: 'PUT', body: settings }));
    await check(
      'POST /api/settings/alerts/test',
      await stack.api('/api/settings/alerts/test', { body: { supervisors: [1] } }),
    );
    expect(found).toEqual([]);
  });
});
