// @vitest-environment node
// Two app servers on one PostgreSQL, each looking for due holds at the same moment: one alert per hold.
import { describe, expect, it } from 'vitest';
import { saveAlertSettings } from '../../../../src/server/alerts/alert-settings.ts';
import { alertDueHolds } from '../../../../src/server/alerts/hold-alerts.ts';
import { saveInstall } from '../../../../src/server/credentials/install-store.ts';
import { ingestEvents } from '../../../../src/server/holds/ingest.ts';
import { holdEvents } from '../../../support/hold-events.ts';
import { recordingActions } from '../../../support/recording-actions.ts';
import { useTwoServersOnOneDatabase } from '../../../support/throwaway-database.ts';

const url = process.env.DATABASE_URL;

describe.skipIf(!url)('hold alerts with two servers on one PostgreSQL', () => {
  const servers = useTwoServersOnOneDatabase(url ?? '', 'relay_alerts');

  it('sends one alert per hold when both servers look at once, again and again', async () => {
    const portal = 'two-servers.bitrix24.com';
    const t0 = Date.parse('2030-05-06T09:00:00.000Z');
    await saveInstall(servers.one, {
      portal,
      memberId: 'm-two',
      applicationToken: 'app-token-two-0123456789',
      sealedRefreshToken: 'v1.x.y',
      sealedAccessToken: 'v1.x.y',
      accessExpiresAt: new Date(t0 + 3600_000),
      installedBy: 1,
      language: 'en',
      at: new Date(t0),
    });
    await saveAlertSettings(servers.one, portal, {
      holdAlertSec: 3,
      supervisors: [1, 12],
      onHangupWhileHeld: false,
      digest: null,
    });
    for (let i = 0; i < 20; i += 1) {
      const [started] = holdEvents({ callId: `call-${i}`, start: new Date(t0 + i * 1000).toISOString(), heldMs: 0 });
      await ingestEvents(servers.one, { portal, userId: 7 }, [started]);
    }
    const actions = recordingActions();
    for (let at = t0 + 3000; at <= t0 + 25_000; at += 500) {
      await Promise.all([
        alertDueHolds({ db: servers.one, actions, serverId: 'one', log: () => undefined }, at),
        alertDueHolds({ db: servers.two, actions, serverId: 'two', log: () => undefined }, at),
      ]);
    }
    expect(actions.sent.filter((s) => s.userId === 1)).toHaveLength(20);
    expect(actions.sent.filter((s) => s.userId === 12)).toHaveLength(20);
    const [row] = await servers.one.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM hold_alerts WHERE portal = $1 AND sent_at IS NOT NULL',
      [portal],
    );
    expect(row?.n).toBe(20);
  });
});
