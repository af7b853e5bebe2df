// @vitest-environment node
// Hold alerts on the embedded database, in the test's own time: due once, to each supervisor once,
// whichever of several servers looks first, across a restart, and again for those a send missed.
import { beforeEach, describe, expect, it } from 'vitest';
import { saveAlertSettings, type AlertSettings } from '../../../../src/server/alerts/alert-settings.ts';
import { alertDueHolds, claimDueAlerts } from '../../../../src/server/alerts/hold-alerts.ts';
import { purgeAlertRecords } from '../../../../src/server/alerts/service.ts';
import { saveInstall } from '../../../../src/server/credentials/install-store.ts';
import { ingestEvents } from '../../../../src/server/holds/ingest.ts';
import { useEmbeddedDatabase } from '../../../support/embedded-database.ts';
import { holdEvents } from '../../../support/hold-events.ts';
import { recordingActions } from '../../../support/recording-actions.ts';

const embedded = useEmbeddedDatabase('relay-alerts-');
let n = 0;
let portal = '';
const SETTINGS: AlertSettings = { holdAlertSec: 60, supervisors: [1, 12], onHangupWhileHeld: true, digest: null };

async function installed(settings: AlertSettings = SETTINGS): Promise<string> {
  n += 1;
  const name = `alerts${n}.bitrix24.com`;
  await saveInstall(embedded.db, {
    portal: name,
    memberId: `m-alerts-${n}`,
    applicationToken: `app-token-${n}-0123456789`,
    sealedRefreshToken: 'v1.x.y',
    sealedAccessToken: 'v1.x.y',
    accessExpiresAt: new Date(Date.now() + 3600_000),
    installedBy: 1,
    language: 'en',
    at: new Date(),
  });
  await saveAlertSettings(embedded.db, name, settings);
  return name;
}

/** A hold of user 7 that started at `start` and, unless `heldMs` is null, ended after it. */
async function hold(callId: string, start: number, heldMs: number | null, endedBy: 'resume' | 'hangup' = 'resume') {
  const [started, ended] = holdEvents({
    callId,
    start: new Date(start).toISOString(),
    heldMs: heldMs ?? 0,
    endedBy,
    phoneNumber: '+4930[URL=x]123',
  });
  await ingestEvents(embedded.db, { portal, userId: 7 }, heldMs === null ? [started] : [started, ended]);
}

const pass = (actions: ReturnType<typeof recordingActions>, now: number, serverId = 'server-a', log: string[] = []) =>
  alertDueHolds({ db: embedded.db, actions, serverId, log: (line) => log.push(line) }, now);

describe('hold alerts', () => {
  const t0 = Date.parse('2030-05-06T09:00:00.000Z');
  beforeEach(async () => {
    portal = await installed();
  });

  it('tells each supervisor once when a hold runs past the threshold, naming the operator, the phone and the CRM entity', async () => {
    const actions = recordingActions({ 7: 'Anna Operator' });
    await hold('c-long', t0, null);
    expect(await pass(actions, t0 + 59_000)).toBe(0);
    expect(actions.sent).toEqual([]);
    expect(await pass(actions, t0 + 60_400)).toBe(1);
    expect(actions.sent.map((s) => s.userId)).toEqual([1, 12]);
    expect(actions.sent[0]?.message).toBe(
      '[B]On hold for 1:00[/B]: Anna Operator has a customer waiting (+4930 URL=x 123). [URL=/crm/contact/details/123/]Contact 123[/URL]',
    );
    expect(await pass(actions, t0 + 120_000)).toBe(0);
    expect(actions.sent).toHaveLength(2);
  });

  it('tells nobody of a hold that ended before the threshold', async () => {
    const actions = recordingActions();
    await hold('c-short', t0, 2000);
    expect(await pass(actions, t0 + 61_000)).toBe(0);
    expect(actions.sent.filter((s) => s.portal === portal)).toEqual([]);
  });

  it('sends one alert per hold however many servers look at once', async () => {
    const actions = recordingActions();
    await hold('c-many', t0, null);
    const sent = await Promise.all(['a', 'b', 'c'].map((id) => pass(actions, t0 + 61_000, `server-${id}`)));
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
    expect(actions.sent.filter((s) => s.portal === portal).map((s) => s.userId)).toEqual([1, 12]);
  });

  it('neither loses nor doubles the alert across a restart', async () => {
    await hold('c-restart', t0, null);
    // The first server stops before the hold is due; the one started after it sends, and a third sends nothing more.
    expect(await pass(recordingActions(), t0 + 30_000, 'before-restart')).toBe(0);
    const after = recordingActions();
    expect(await pass(after, t0 + 61_000, 'after-restart')).toBe(1);
    expect(await pass(after, t0 + 62_000, 'after-second-restart')).toBe(0);
    expect(after.sent.filter((s) => s.portal === portal)).toHaveLength(2);
  });

  it('sends again, only to the supervisors a failed send missed, after a pause, and logs the failure', async () => {
    const actions = recordingActions();
    actions.refuse.add(12);
    const log: string[] = [];
    await hold('c-retry', t0, null);
    expect(await pass(actions, t0 + 61_000, 'server-a', log)).toBe(0);
    expect(log).toEqual([
      expect.stringContaining(
        'reached 1 of 2 supervisors (im.notify.system.add to user 12: USER_ID_EMPTY); tried again at',
      ),
    ]);
    actions.refuse.clear();
    expect(await pass(actions, t0 + 62_000)).toBe(0);
    expect(await pass(actions, t0 + 63_100)).toBe(1);
    expect(actions.sent.filter((s) => s.portal === portal).map((s) => s.userId)).toEqual([1, 12]);
  });

  it('lets another server take over a claim whose server went quiet, after five minutes, and no sooner', async () => {
    const actions = recordingActions();
    actions.refuse.add(1).add(12);
    await hold('c-stale', t0, null);
    await pass(actions, t0 + 61_000, 'went-quiet');
    actions.refuse.clear();
    expect(await pass(actions, t0 + 200_000, 'other')).toBe(0);
    expect(await pass(actions, t0 + 362_000, 'other')).toBe(1);
  });

  it('takes no row whose send is still under way, on this server or another (regression: a slow send was sent twice)', async () => {
    await hold('c-slow', t0, null);
    const deps = (serverId: string) => ({
      db: embedded.db,
      actions: recordingActions(),
      serverId,
      log: () => undefined,
    });
    expect((await claimDueAlerts(deps('server-a'), t0 + 61_000)).filter((h) => h.portal === portal)).toHaveLength(1);
    // The send has not finished: passes a second and four minutes later take nothing of it.
    expect((await claimDueAlerts(deps('server-a'), t0 + 62_000)).filter((h) => h.portal === portal)).toEqual([]);
    expect((await claimDueAlerts(deps('server-b'), t0 + 300_000)).filter((h) => h.portal === portal)).toEqual([]);
  });

  it('tells supervisors of a customer who hung up while held, once, only when asked', async () => {
    const actions = recordingActions();
    await hold('c-hangup', t0, 20_000, 'hangup');
    expect(await pass(actions, t0 + 21_000)).toBe(1);
    expect(actions.sent.find((s) => s.portal === portal)?.message).toMatch(
      /^\[B\]Customer hung up while on hold\[\/B\] after 0:20/,
    );
    expect(await pass(actions, t0 + 22_000)).toBe(0);

    portal = await installed({ ...SETTINGS, onHangupWhileHeld: false });
    const quiet = recordingActions();
    await hold('c-hangup-2', t0, 20_000, 'hangup');
    expect(await pass(quiet, t0 + 21_000)).toBe(0);
    expect(quiet.sent.filter((s) => s.portal === portal)).toEqual([]);
  });
});

describe('alert records', () => {
  it('are purged after 30 days, and the newer ones kept', async () => {
    const name = await installed();
    const t = Date.parse('2030-06-01T00:00:00.000Z');
    for (const [callKey, at] of [
      ['old', t - 31 * 86_400_000],
      ['new', t - 29 * 86_400_000],
    ] as const) {
      await embedded.db.query(
        `INSERT INTO hold_alerts (portal, user_id, call_key, hold_seq, kind, claimed_by, claimed_at, due_at, sent_at) VALUES ($1, 7, $2, 1, 'long', 'x', $3, $3, $3)`,
        [name, callKey, new Date(at).toISOString()],
      );
    }
    await embedded.db.query('INSERT INTO digests_sent (portal, day, sent_at) VALUES ($1, $2, now()), ($1, $3, now())', [
      name,
      '2030-04-20',
      '2030-05-20',
    ]);
    expect(await purgeAlertRecords(embedded.db, t)).toBeGreaterThanOrEqual(2);
    expect(await embedded.db.query('SELECT call_key FROM hold_alerts WHERE portal = $1', [name])).toEqual([
      { call_key: 'new' },
    ]);
    expect(
      (
        await embedded.db.query<{ day: string }>('SELECT day::text AS day FROM digests_sent WHERE portal = $1', [name])
      ).map((r) => r.day),
    ).toEqual(['2030-05-20']);
  });
});
