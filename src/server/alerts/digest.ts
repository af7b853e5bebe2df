// The morning digest: at the hour an admin chose, in their time zone, yesterday's figures (the
// same as /api/report for that local day) and the three operators with the most time on hold, as
// a portal notification to each recipient. Once per portal and local day, whichever server claims
// the day first; a server that was down at the hour sends it when it is back, the same day. A
// digest that reached nobody is tried again at the next pass.
import { addDays, dayStart, localDay } from '../../app/report/period.ts';
import { interpolate } from '../../i18n/messages.ts';
import type { Queryable } from '../db/index.ts';
import { periodReport, type Report } from '../holds/report.ts';
import { alertTexts, duration, plain } from './alert-texts.ts';
import type { PortalActions } from './portal-actions.ts';

interface DigestDue {
  portal: string;
  hour: number;
  tz: string;
  to: number[];
  language: string | null;
  appId: string | null;
}

/** The local hour (0-23) of an instant in a zone. */
export function localHour(at: number, tz: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', hourCycle: 'h23' }).format(
    new Date(at),
  );
  return Number.parseInt(hour, 10);
}

/** The digest's text for a day's report; `names` has the operators' names where the portal gave them. */
export function digestMessage(
  report: Report,
  day: string,
  lang: string | null,
  names: ReadonlyMap<number, string>,
  link: string,
): string {
  const t = alertTexts(lang);
  const { totals } = report;
  if (totals.holds === 0) return interpolate(t.digestNone, { date: day, link });
  const top = [...report.operators]
    .filter((o) => o.heldMs > 0)
    .sort((a, b) => b.heldMs - a.heldMs || a.userId - b.userId)
    .slice(0, 3)
    .map(
      (o) => `${plain(names.get(o.userId) ?? interpolate(t.operator, { id: String(o.userId) }))} ${duration(o.heldMs)}`,
    );
  return interpolate(t.digest, {
    date: day,
    calls: String(totals.calls),
    holds: String(totals.holds),
    avg: duration(totals.avgHeldMs),
    longest: duration(totals.longestHeldMs),
    endedWithCall: String(totals.endedWithCall),
    top: top.length > 0 ? ` ${interpolate(t.openReport, { list: top.join(', ') })}` : '',
    link,
  });
}

export interface DigestDeps {
  db: Queryable;
  actions: PortalActions;
  log: (line: string) => void;
}

/** One pass at `now`: every portal whose digest hour has come today and whose day nobody claimed yet. */
export async function sendDueDigests(deps: DigestDeps, now: number): Promise<number> {
  const due = await deps.db.query<DigestDue>(
    `SELECT s.portal, s.digest_hour AS hour, s.digest_tz AS tz, s.digest_to AS "to", i.language, i.app_id AS "appId"
     FROM alert_settings s JOIN portal_installs i ON i.portal = s.portal AND i.renewal_failed_at IS NULL
     WHERE s.digest_hour IS NOT NULL AND s.digest_tz IS NOT NULL AND cardinality(s.digest_to) > 0`,
  );
  let sent = 0;
  for (const digest of due) {
    if (localHour(now, digest.tz) < digest.hour) continue;
    const today = localDay(now, digest.tz);
    const claimed = await deps.db.query(
      'INSERT INTO digests_sent (portal, day) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1',
      [digest.portal, today],
    );
    if (claimed.length === 0) continue;
    const yesterday = addDays(today, -1);
    const report = await periodReport(deps.db, digest.portal, {
      from: new Date(dayStart(yesterday, digest.tz)),
      to: new Date(dayStart(today, digest.tz)),
      tz: digest.tz,
    });
    const names = await deps.actions
      .names(
        digest.portal,
        report.operators.map((o) => o.userId),
      )
      .catch(() => new Map<number, string>());
    const link = digest.appId ? `/marketplace/app/${encodeURIComponent(digest.appId)}/` : '/marketplace/local/list/';
    const outcome = await deps.actions.notify(
      digest.portal,
      digest.to,
      digestMessage(report, yesterday, digest.language, names, link),
    );
    if (outcome.sentTo.length === 0) {
      // Nobody got it: the day is given back, so the next pass (a minute on, on any server) tries again.
      await deps.db.query('DELETE FROM digests_sent WHERE portal = $1 AND day = $2', [digest.portal, today]);
      deps.log(
        `alerts: ${digest.portal}: the digest for ${yesterday} reached nobody (${outcome.error ?? 'unknown'}); tried again in a minute`,
      );
      continue;
    }
    await deps.db.query('UPDATE digests_sent SET sent_at = $3, error = $4 WHERE portal = $1 AND day = $2', [
      digest.portal,
      today,
      new Date(now).toISOString(),
      outcome.error,
    ]);
    if (outcome.error)
      deps.log(
        `alerts: ${digest.portal}: the digest for ${yesterday} reached ${outcome.sentTo.length} of ${digest.to.length} recipients: ${outcome.error}`,
      );
    else sent += 1;
  }
  return sent;
}
