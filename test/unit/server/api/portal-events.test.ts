// @vitest-environment node
// The app's own credentials through the real server and the simulated portal: the install and
// uninstall events as the portal posts them, the registration kept alive, and what admins see.
import { describe, expect, it, vi } from 'vitest';
import { APP_EVENTS } from '../../../../src/app/install.ts';
import { bindParams, workerTarget } from '../../../../src/app/registration.ts';
import { MIN_GAP_MS } from '../../../../src/server/credentials/registration-keeper.ts';
import { openDatabase } from '../../../../src/server/db/index.ts';
import { MEMBER_ID } from '../../../../src/simulator/app-lifecycle.ts';
import { ADMIN, OPERATOR } from '../../../../src/simulator/rest-portal.ts';
import { fakeClock } from '../../../support/fake-clock.ts';
import { restAsAdmin } from '../../../support/install-app.ts';
import { useStatsStack } from '../../../support/use-stats-stack.ts';

// The registration keeper in fake time: the gap between two checks of the portal passes when the test says.
const registration = fakeClock(Date.now());
const stack = useStatsStack(
  { WEBHOOKS_ALLOW_PRIVATE: '1' },
  { credentials: true, hooks: { registrationClock: registration } },
);

const eventsUrl = () => new URL('/api/portal/events', stack.appUrl).href;
const lifecycle = () => {
  if (!stack.simulator.lifecycle) throw new Error('the simulator was started without the app credentials');
  return stack.simulator.lifecycle;
};
const status = async () =>
  (await stack.api('/api/portal/status')).json() as Promise<
    Record<string, unknown> & {
      registration: { outcome: string | null };
      restCalls: { method: string; status: number }[];
    }
  >;
const postForm = (fields: Record<string, string>) =>
  fetch(eventsUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const workers = () => stack.simulator.rest.placements.filter((p) => p.placement === 'PAGE_BACKGROUND_WORKER');

const asAdmin = (method: string, params: Record<string, unknown>) => restAsAdmin(stack, method, params);

describe('the app credentials, between the real server and the simulated portal', () => {
  it('tells the install page it keeps the app credentials', async () => {
    expect(await (await fetch(new URL('/api/status', stack.appUrl))).json()).toEqual({
      stats: true,
      credentials: true,
    });
  });

  it('refuses an install whose token another app holds, or whose user is no admin, and stores nothing', async () => {
    const install = (auth: string) => ({
      event: 'ONAPPINSTALL',
      'auth[domain]': stack.domain,
      'auth[member_id]': MEMBER_ID,
      'auth[access_token]': auth,
      'auth[refresh_token]': 'refresh-token-made-up-0123',
      'auth[application_token]': 'application-token-made-up',
      'auth[expires_in]': '3600',
    });
    const otherApp = stack.simulator.rest.grant(ADMIN, 'local.0123456789abcd.99').AUTH_ID;
    expect((await postForm(install(otherApp))).status).toBe(401);
    expect((await postForm(install(stack.tokenFor(OPERATOR.id)))).status).toBe(403);
    // An admin's frame token of this app, but a refresh token the OAuth server never issued.
    expect((await postForm(install(stack.tokenFor(ADMIN.id)))).status).toBe(401);
    expect((await postForm({ event: 'ONAPPINSTALL' })).status).toBe(400);
    expect(await status()).toMatchObject({ configured: true, installed: false });
  });

  it('stores the credentials the install event brings, and shows admins the registration it keeps alive', async () => {
    await asAdmin('placement.bind', bindParams(workerTarget(new URL('/app/', stack.appUrl).href), null));
    for (const event of APP_EVENTS)
      expect(await asAdmin('event.bind', { event, handler: eventsUrl() })).toMatchObject({ result: true });
    const [delivery] = await lifecycle().installed();
    expect(delivery).toMatchObject({ what: 'ONAPPINSTALL', status: 200 });
    const shown = await status();
    expect(shown).toMatchObject({
      configured: true,
      installed: true,
      renewalFailed: null,
      registration: { outcome: 'present' },
    });
    expect(shown.restCalls).toContainEqual(expect.objectContaining({ method: 'placement.get', status: 200 }));
    expect(JSON.stringify(shown)).not.toMatch(/token/i);
    // The install's refresh token was renewed at once: the one that travelled in the event is dead.
    expect((await (await fetch(`${stack.simulator.url}/sim/app-events`)).json()).oauthRenewals).toBe(1);
  });

  it('shows a non-admin nothing of it', async () => {
    expect((await stack.api('/api/portal/status', { token: stack.tokenFor(OPERATOR.id) })).status).toBe(403);
  });

  it('binds the worker again within the minute after the portal switched it off, with no admin', async () => {
    const before = workers();
    expect(before).toHaveLength(1);
    await lifecycle().overtime();
    expect(workers()).toHaveLength(0);
    await vi.waitFor(() => expect(workers()).toHaveLength(1), { timeout: 60_000, interval: 100 });
    expect(workers()[0]).toMatchObject({ handler: before[0]?.handler, options: before[0]?.options, userId: 0 });
    await vi.waitFor(async () => expect((await status()).registration.outcome).toBe('rebound'), {
      timeout: 10_000,
      interval: 100,
    });
  }, 90_000);

  it('answers a forged notice with one check at the end of the gap, which changes nothing', async () => {
    const calls = (method: string) => stack.simulator.rest.calls.filter((c) => c.method === method).length;
    const bindsBefore = calls('placement.bind');
    const getsBefore = calls('placement.get');
    const notice = await fetch(new URL('/placement-error', stack.appUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ error: 'ERROR_PLACEMENT_LOADING_OVERTIME', member_id: MEMBER_ID }).toString(),
    });
    expect(notice.status).toBe(200);
    // Within the gap after the last check, the notice waits for the gap's end.
    await vi.waitFor(() => expect(registration.waiting()).toEqual([MIN_GAP_MS]));
    expect(calls('placement.get')).toBe(getsBefore);
    registration.advance(MIN_GAP_MS);
    await vi.waitFor(() => expect(calls('placement.get')).toBe(getsBefore + 1), { timeout: 15_000, interval: 50 });
    await vi.waitFor(async () => expect((await status()).registration.outcome).toBe('present'), {
      timeout: 10_000,
      interval: 100,
    });
    expect(calls('placement.bind')).toBe(bindsBefore);
    expect(registration.waiting()).toEqual([]);
    expect(workers()).toHaveLength(1);
  });

  it('refuses an uninstall with another application_token, and keeps everything', async () => {
    const [delivery] = await lifecycle().forgedUninstall(true);
    expect(delivery).toMatchObject({ what: 'ONAPPUNINSTALL', status: 401 });
    expect(await status()).toMatchObject({ installed: true });
  });

  it('deletes every row of the portal on an uninstall that asks for it', async () => {
    const operator = stack.tokenFor(OPERATOR.id);
    const at = Date.now();
    const event = (type: string, id: string, extra: Record<string, unknown>) => ({
      id,
      type,
      timestamp: new Date(at + (type === 'hold.ended' ? 2000 : 0)).toISOString(),
      data: {
        held: type === 'hold.started',
        callId: 'call-1',
        phoneNumber: '+4930123',
        lineNumber: null,
        direction: 'incoming',
        crmEntityType: null,
        crmEntityId: null,
        crmActivityId: null,
        holdSeq: 1,
        ...extra,
      },
    });
    expect((await stack.api('/api/webhooks', { body: { url: `${stack.simulator.url}/sink` } })).status).toBe(201);
    const alerts = {
      holdAlertSec: 60,
      supervisors: [1],
      onHangupWhileHeld: false,
      digest: { hour: 9, tz: 'UTC', to: [1] },
    };
    expect((await stack.api('/api/settings/alerts', { method: 'PUT', body: alerts })).status).toBe(200);
    const stored = await stack.api('/api/events', {
      token: operator,
      body: {
        events: [event('hold.started', 'e1', {}), event('hold.ended', 'e2', { heldMs: 2000, endedBy: 'resume' })],
      },
    });
    expect(await stored.json()).toMatchObject({ stored: 2 });

    const [delivery] = await lifecycle().uninstall(true);
    expect(delivery).toMatchObject({ what: 'ONAPPUNINSTALL', status: 200 });
    expect(await status()).toMatchObject({ installed: false });

    await stack.stopServer();
    const db = await openDatabase({ databaseUrl: null, dataDir: stack.dataDir });
    try {
      const tables = await db.query<{ table: string }>(
        `SELECT table_name AS "table" FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'portal' ORDER BY table_name`,
      );
      expect(tables.length).toBeGreaterThan(5);
      const left: Record<string, number> = {};
      for (const { table } of tables) {
        const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE portal = $1`, [
          stack.domain,
        ]);
        if ((row?.n ?? 0) > 0) left[table] = row?.n ?? 0;
      }
      const [deliveries] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_deliveries');
      expect({ left, deliveries: deliveries?.n }).toEqual({ left: {}, deliveries: 0 });
    } finally {
      await db.close();
    }
  });
});
