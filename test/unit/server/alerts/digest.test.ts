// @vitest-environment node
// The morning digest in the test's own time: once, at the hour in the chosen zone, with yesterday's
// figures exactly as /api/report gives them for that local day.
import { describe, expect, it } from 'vitest';
import { addDays, dayStart, localDay } from '../../../../src/app/report/period.ts';
import { saveAlertSettings } from '../../../../src/server/alerts/alert-settings.ts';
import { digestMessage, localHour, sendDueDigests } from '../../../../src/server/alerts/digest.ts';
import { saveAppId, saveInstall } from '../../../../src/server/credentials/install-store.ts';
import { ingestEvents } from '../../../../src/server/holds/ingest.ts';
import { QUANTILE_ACCURACY } from '../../../../src/server/holds/hold-lengths.ts';
import { periodReport } from '../../../../src/server/holds/report.ts';
import { useEmbeddedDatabase } from '../../../support/embedded-database.ts';
import { holdEvents } from '../../../support/hold-events.ts';
import { recordingActions } from '../../../support/recording-actions.ts';

const embedded = useEmbeddedDatabase('relay-digest-');
const TZ = 'Europe/Berlin';
const PORTAL = 'digest.bitrix24.com';

describe('the morning digest', () => {
  it('goes out once at the hour in the zone, with yesterday’s figures equal to the report', async () => {
    // 2030-03-31 is the day Berlin's clocks go forward: its 09:00 comes 8 hours after its midnight.
    const today = '2030-03-31';
    const yesterday = addDays(today, -1);
    const yesterdayStart = dayStart(yesterday, TZ);
    await saveInstall(embedded.db, {
      portal: PORTAL,
      memberId: 'm-digest',
      applicationToken: 'app-token-digest-0123',
      sealedRefreshToken: 'v1.x.y',
      sealedAccessToken: 'v1.x.y',
      accessExpiresAt: new Date(yesterdayStart + 86_400_000),
      installedBy: 1,
      language: 'de',
      at: new Date(yesterdayStart),
    });
    await saveAppId(embedded.db, PORTAL, '42');
    await saveAlertSettings(embedded.db, PORTAL, {
      holdAlertSec: null,
      supervisors: [],
      onHangupWhileHeld: false,
      digest: { hour: 9, tz: TZ, to: [1, 12] },
    });
    const holds = [
      { user: 7, call: 'a', at: yesterdayStart + 9 * 3600_000, ms: 65_000, endedBy: 'resume' as const },
      { user: 7, call: 'b', at: yesterdayStart + 10 * 3600_000, ms: 20_000, endedBy: 'hangup' as const },
      { user: 8, call: 'c', at: yesterdayStart + 11 * 3600_000, ms: 301_000, endedBy: 'resume' as const },
      { user: 9, call: 'd', at: yesterdayStart + 12 * 3600_000, ms: 1_000, endedBy: 'resume' as const },
      { user: 10, call: 'e', at: yesterdayStart + 13 * 3600_000, ms: 4_000, endedBy: 'resume' as const },
      // Today's and the day before yesterday's holds are not yesterday's.
      { user: 7, call: 'f', at: dayStart(today, TZ) + 60_000, ms: 9_000, endedBy: 'resume' as const },
      { user: 7, call: 'g', at: yesterdayStart - 60_000, ms: 9_000, endedBy: 'resume' as const },
    ];
    for (const h of holds)
      await ingestEvents(
        embedded.db,
        { portal: PORTAL, userId: h.user },
        holdEvents({ callId: h.call, start: new Date(h.at).toISOString(), heldMs: h.ms, endedBy: h.endedBy }),
      );

    const actions = recordingActions({ 7: 'Anna Operator', 8: 'Boris Belov', 9: 'Clara Weiss' });
    const log: string[] = [];
    const pass = (at: number) => sendDueDigests({ db: embedded.db, actions, log: (line) => log.push(line) }, at);
    const nineOClock = dayStart(today, TZ) + 8 * 3600_000;
    expect(localHour(nineOClock, TZ)).toBe(9);
    expect(localDay(nineOClock, TZ)).toBe(today);

    expect(await pass(nineOClock - 60_000)).toBe(0);
    expect(actions.sent).toEqual([]);
    expect(await pass(nineOClock)).toBe(1);
    expect(await pass(nineOClock + 60_000)).toBe(0);
    expect(await pass(nineOClock + 5 * 3600_000)).toBe(0);
    expect(actions.sent.map((s) => s.userId)).toEqual([1, 12]);

    const report = await periodReport(embedded.db, PORTAL, {
      from: new Date(yesterdayStart),
      to: new Date(dayStart(today, TZ)),
      tz: TZ,
    });
    expect(report.totals).toMatchObject({ holds: 5, heldMs: 391_000, longestHeldMs: 301_000, endedWithCall: 1 });
    const names = new Map([
      [7, 'Anna Operator'],
      [8, 'Boris Belov'],
      [9, 'Clara Weiss'],
    ]);
    expect(actions.sent[0]?.message).toBe(digestMessage(report, yesterday, 'de', names, '/marketplace/app/42/'));
    expect(actions.sent[0]?.message).toBe(
      '[B]Halten gestern, 2030-03-30[/B]: 5 Anrufe, 5-mal gehalten, im Schnitt 1:18, am längsten 5:01, 1 aufgelegt während des Haltens. ' +
        'Am längsten gehalten: Boris Belov 5:01, Anna Operator 1:25, Mitarbeiter Nr. 10 0:04. [URL=/marketplace/app/42/]Bericht öffnen[/URL]',
    );
    expect(log).toEqual([]);
  });

  it('is tried again at the next pass when it reached nobody, and then goes out once', async () => {
    const portal = 'digest-retry.bitrix24.com';
    const t = Date.parse('2030-06-03T07:00:00.000Z');
    await saveInstall(embedded.db, {
      portal,
      memberId: 'm-digest-retry',
      applicationToken: 'app-token-digest-retry',
      sealedRefreshToken: 'v1.x.y',
      sealedAccessToken: 'v1.x.y',
      accessExpiresAt: new Date(t),
      installedBy: 1,
      language: 'en',
      at: new Date(t),
    });
    await saveAlertSettings(embedded.db, portal, {
      holdAlertSec: null,
      supervisors: [],
      onHangupWhileHeld: false,
      digest: { hour: 7, tz: 'UTC', to: [1] },
    });
    const actions = recordingActions();
    actions.refuse.add(1);
    const log: string[] = [];
    const pass = (at: number) => sendDueDigests({ db: embedded.db, actions, log: (line) => log.push(line) }, at);
    expect(await pass(t)).toBe(0);
    expect(log.filter((line) => line.includes(portal))).toEqual([
      expect.stringContaining('digest-retry.bitrix24.com: the digest for 2030-06-02 reached nobody'),
    ]);
    actions.refuse.clear();
    expect(await pass(t + 60_000)).toBe(1);
    expect(await pass(t + 120_000)).toBe(0);
    expect(actions.sent.filter((s) => s.portal === portal)).toHaveLength(1);
  });

  it('says a quiet day had no holds', () => {
    const totals = {
      calls: 0,
      callsWithHolds: 0,
      holds: 0,
      heldMs: 0,
      avgHeldMs: 0,
      longestHeldMs: 0,
      endedWithCall: 0,
      talkMs: 0,
      holdShare: null,
      callsWithoutTalk: 0,
      medianHeldMs: null,
      p90HeldMs: null,
    };
    const empty = {
      period: { from: '', to: '', tz: TZ },
      lineNumber: null,
      quantileAccuracy: QUANTILE_ACCURACY,
      totals,
      operators: [],
      lines: [],
      days: [],
    };
    expect(digestMessage(empty, '2030-03-30', 'en', new Map(), '/x/')).toBe(
      '[B]Holds yesterday, 2030-03-30[/B]: no holds. [URL=/x/]Open the hold report[/URL]',
    );
  });
});
