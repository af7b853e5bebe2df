// @vitest-environment node
// Through the real server and the simulated portal: handing out a webhook secret and deleting data
// ask the portal about admin rights at once, and with B24_CLIENT_ID set only this app's tokens count.
import { describe, expect, it } from 'vitest';
import { ADMIN, SIM_APP_CODE } from '../../../../src/simulator/rest-portal.ts';
import { useStatsStack } from '../../../support/use-stats-stack.ts';

const stack = useStatsStack({ B24_CLIENT_ID: SIM_APP_CODE, B24_CLIENT_SECRET: 'sim-application-key-0123456789' });

const adminCalls = () => stack.simulator.rest.calls.filter((call) => call.method === 'user.admin').length;

describe('admin rights for actions that cannot be taken back', () => {
  it('asks the portal at once before creating or rotating a secret and before deleting data, and refuses an admin demoted a moment ago', async () => {
    const token = stack.tokenFor(ADMIN.id);
    try {
      expect((await stack.api('/api/webhooks', { token })).status).toBe(200);
      const before = adminCalls();
      const created = await stack.api('/api/webhooks', { token, body: { url: 'https://pbx.example.com/hook' } });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect(adminCalls()).toBe(before + 1);

      stack.simulator.rest.setAdmin(ADMIN.id, false);
      // Reading may use the answer of a moment ago (at most 30 s old)...
      expect((await stack.api('/api/webhooks', { token })).status).toBe(200);
      // ...but a secret or a deletion is refused at once.
      expect((await stack.api('/api/webhooks', { token, body: { url: 'https://pbx.example.com/other' } })).status).toBe(
        403,
      );
      expect((await stack.api(`/api/webhooks/${id}/rotate`, { token, method: 'POST' })).status).toBe(403);
      expect((await stack.api('/api/report/data', { token, method: 'DELETE' })).status).toBe(403);
      expect(adminCalls()).toBe(before + 4);
    } finally {
      stack.simulator.rest.setAdmin(ADMIN.id, true);
    }
  });

  it('hands out no secret for a token the portal revoked a moment ago (one was handed out 20 s after)', async () => {
    const token = stack.tokenFor(ADMIN.id);
    expect((await stack.api('/api/webhooks', { token })).status).toBe(200);
    stack.simulator.rest.revoke(token);
    const res = await stack.api('/api/webhooks', { token, body: { url: 'https://pbx.example.com/revoked' } });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('whsec_');
  });
});

describe('tokens of another app on the portal', () => {
  it("has the simulated portal answer app.info as a portal does, with the CODE of the token's app", async () => {
    const res = await fetch(`${stack.simulator.origin}/rest/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: stack.tokenFor(7) }),
    });
    expect(((await res.json()) as { result: unknown }).result).toEqual({
      ID: expect.any(String),
      CODE: SIM_APP_CODE,
      VERSION: 1,
      STATUS: 'L',
      INSTALLED: true,
      PAYMENT_EXPIRED: 'N',
      DAYS: null,
      LICENSE: expect.any(String),
    });
  });

  it("accepts this app's token and refuses with 401 another app's token of the same user", async () => {
    expect((await stack.api('/api/report/holds', { token: stack.tokenFor(7) })).status).toBe(200);
    const foreign = stack.simulator.rest.grant(
      { id: 7, name: 'Anna Operator', isAdmin: false },
      'local.0badc0ffee0bad.11111111',
    ).AUTH_ID;
    const res = await stack.api('/api/report/holds', { token: foreign });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error:
        'the token was issued to another application (local.0badc0ffee0bad.11111111), not to this one: open this app in the portal',
    });
  });
});
