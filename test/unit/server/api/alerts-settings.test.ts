// @vitest-environment node
// /api/settings/alerts through the real server and the simulated portal: admins only, strict input,
// and a test alert that lands in the portal's notifications.
import { describe, expect, it } from 'vitest';
import { ADMIN, OPERATOR } from '../../../../src/simulator/rest-portal.ts';
import { installApp } from '../../../support/install-app.ts';
import { useStatsStack } from '../../../support/use-stats-stack.ts';

const stack = useStatsStack({}, { credentials: true });
const plain = useStatsStack();

const SETTINGS = {
  holdAlertSec: 60,
  supervisors: [1, 12],
  onHangupWhileHeld: true,
  digest: { hour: 9, tz: 'Europe/Berlin', to: [1] },
};
const put = (body: unknown, token?: string) =>
  stack.api('/api/settings/alerts', { method: 'PUT', body, ...(token ? { token } : {}) });

describe('alert settings', () => {
  it('say what is missing on a server without the app credentials', async () => {
    const answer = await plain.api('/api/settings/alerts');
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ error: expect.stringContaining('B24_CLIENT_ID') });
  });

  it('say the app must be installed from this server first', async () => {
    const answer = await stack.api('/api/settings/alerts');
    expect(answer.status).toBe(409);
  });

  it('are stored and read back once the app is installed, with no alerts by default', async () => {
    await installApp(stack);
    expect(await (await stack.api('/api/settings/alerts')).json()).toEqual({
      holdAlertSec: null,
      supervisors: [],
      onHangupWhileHeld: false,
      digest: null,
    });
    const saved = await put(SETTINGS);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual(SETTINGS);
    expect(await (await stack.api('/api/settings/alerts')).json()).toEqual(SETTINGS);
  });

  it('are for admins only', async () => {
    const operator = stack.tokenFor(OPERATOR.id);
    expect((await stack.api('/api/settings/alerts', { token: operator })).status).toBe(403);
    expect((await put({ ...SETTINGS, holdAlertSec: 5 }, operator)).status).toBe(403);
  });

  it.each([
    [{ ...SETTINGS, holdAlertSec: 0 }, 'holdAlertSec'],
    // Open holds older than 4 hours are taken for lost ends: a longer threshold could never fire.
    [{ ...SETTINGS, holdAlertSec: 14_401 }, 'holdAlertSec'],
    [{ ...SETTINGS, supervisors: ['1'] }, 'supervisors[0]'],
    [{ ...SETTINGS, digest: { ...SETTINGS.digest, tz: 'Mars/Olympus' } }, 'digest.tz'],
    [{ ...SETTINGS, digest: { ...SETTINGS.digest, hour: 24 } }, 'digest.hour'],
    [{ ...SETTINGS, extra: true }, 'extra'],
  ])('refuse %j naming the field, and change nothing', async (body, field) => {
    const answer = await put(body);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ field });
    expect(await (await stack.api('/api/settings/alerts')).json()).toEqual(SETTINGS);
  });

  it('send a test alert to the supervisors through the portal’s notifications', async () => {
    const before = stack.simulator.rest.notifications.length;
    const answer = await stack.api('/api/settings/alerts/test', { body: {} });
    expect(await answer.json()).toEqual({ sentTo: [1, 12], error: null });
    expect(stack.simulator.rest.notifications.slice(before).map((n) => [n.userId, n.message])).toEqual([
      [1, 'Test alert from Hold relay: you will be told here when a hold runs past 60 s.'],
      [12, 'Test alert from Hold relay: you will be told here when a hold runs past 60 s.'],
    ]);
  });

  it('say who the portal would not notify', async () => {
    const answer = await stack.api('/api/settings/alerts/test', { body: { supervisors: [ADMIN.id, 999] } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ sentTo: [1], error: expect.stringContaining('user 999: USER_ID_EMPTY') });
  });
});
