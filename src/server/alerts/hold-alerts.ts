// Hold alerts: a hold still running `holdAlertSec` after it started, and (when asked) a customer
// who hung up while held, reach each supervisor once as a portal notification. The holds table is
// the schedule: every server polls it twice a second for due holds, and the one that inserts the
// hold_alerts row first sends. A restart loses nothing (the hold is in the database) and doubles
// nothing (the row is). A failed send is tried again, to the supervisors still missing, with
// growing pauses; a claim whose server died is taken over after five minutes. A claim holds the row
// for those five minutes (its next try is that far off), so no pass, here or on another server,
// takes a row whose send is still under way, however slow the portal.
import type { Queryable } from '../db/index.ts';
import { holdMessage } from './alert-texts.ts';
import type { PortalActions } from './portal-actions.ts';

/** How long after its start a running hold stays alertable (older ones are taken for lost ends). */
const OPEN_HOLD_HOURS = 4;
/** A hang-up while held is alerted when it ended within this. */
const HANGUP_WINDOW_MIN = 10;
const MAX_ATTEMPTS = 8;
/** How long a claim holds its row: longer than any send (a few calls of at most 10 s each). */
const LEASE_S = 300;
const BATCH = 50;

interface DueHold {
  portal: string;
  userId: number;
  callKey: string;
  holdSeq: number;
  kind: 'long' | 'hangup';
  startedAt: Date | string;
  heldMs: number | null;
  phone: string | null;
  crmType: string | null;
  crmId: number | null;
  supervisors: number[];
  sentTo: number[];
  attempts: number;
  language: string | null;
}

const COLUMNS = `h.portal, h.user_id AS "userId", h.call_key AS "callKey", h.hold_seq AS "holdSeq", h.started_at AS "startedAt",
  h.held_ms::float8 AS "heldMs", h.phone_number AS phone, h.crm_entity_type AS "crmType", h.crm_entity_id::float8 AS "crmId",
  s.supervisors, i.language`;
const SETTINGS = `alert_settings s JOIN portal_installs i ON i.portal = s.portal AND i.renewal_failed_at IS NULL`;
const UNALERTED = (
  kind: string,
) => `NOT EXISTS (SELECT 1 FROM hold_alerts a WHERE a.portal = h.portal AND a.user_id = h.user_id
  AND a.call_key = h.call_key AND a.hold_seq = h.hold_seq AND a.kind = '${kind}')`;

/** Holds due for an alert at `$1`, not yet claimed by anyone. */
const DUE = `
  SELECT ${COLUMNS}, 'long' AS kind, '{}'::int[] AS "sentTo", 0 AS attempts FROM ${SETTINGS}
  JOIN holds h ON h.portal = s.portal AND h.ended_at IS NULL AND NOT h.failed
    AND h.started_at <= $1::timestamptz - make_interval(secs => s.hold_alert_sec)
    AND h.started_at > $1::timestamptz - interval '${OPEN_HOLD_HOURS} hours'
  WHERE s.hold_alert_sec IS NOT NULL AND cardinality(s.supervisors) > 0 AND ${UNALERTED('long')}
  UNION ALL
  SELECT ${COLUMNS}, 'hangup', '{}'::int[], 0 FROM ${SETTINGS}
  JOIN holds h ON h.portal = s.portal AND h.started_at > $1::timestamptz - interval '${OPEN_HOLD_HOURS} hours' AND NOT h.failed
    AND h.ended_by IN ('hangup', 'close') AND h.ended_at > $1::timestamptz - interval '${HANGUP_WINDOW_MIN} minutes'
  WHERE s.on_hangup_while_held AND cardinality(s.supervisors) > 0 AND ${UNALERTED('hangup')}
  LIMIT ${BATCH}`;

/** Claimed alerts not yet sent to everyone whose next try is due: this server's, or another's that went quiet. */
const RETRY = `
  UPDATE hold_alerts a SET claimed_by = $2, claimed_at = $1, next_try_at = $1::timestamptz + interval '${LEASE_S} seconds'
  FROM ${SETTINGS}, holds h
  WHERE a.sent_at IS NULL AND a.attempts < ${MAX_ATTEMPTS} AND a.next_try_at <= $1
    AND (a.claimed_by = $2 OR a.claimed_at < $1::timestamptz - interval '${LEASE_S} seconds')
    AND s.portal = a.portal AND h.portal = a.portal AND h.user_id = a.user_id AND h.call_key = a.call_key AND h.hold_seq = a.hold_seq
  RETURNING ${COLUMNS}, a.kind, a.sent_to AS "sentTo", a.attempts`;

export interface HoldAlertsDeps {
  db: Queryable;
  actions: PortalActions;
  /** Names this server in the claims it makes. */
  serverId: string;
  log: (line: string) => void;
}

export type ClaimedAlert = DueHold;

/** Claims what is due at `now` (retries of this server's or quiet servers' claims, then new holds); quick, no portal call. */
export async function claimDueAlerts(deps: HoldAlertsDeps, now: number): Promise<ClaimedAlert[]> {
  const at = new Date(now).toISOString();
  const mine: DueHold[] = await deps.db.query<DueHold>(RETRY, [at, deps.serverId]);
  const fresh = await deps.db.query<DueHold>(DUE, [at]);
  for (const hold of fresh) {
    const claimed = await deps.db.query(
      `INSERT INTO hold_alerts (portal, user_id, call_key, hold_seq, kind, claimed_by, claimed_at, due_at, next_try_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7::timestamptz + interval '${LEASE_S} seconds') ON CONFLICT DO NOTHING RETURNING 1`,
      [hold.portal, hold.userId, hold.callKey, hold.holdSeq, hold.kind, deps.serverId, at],
    );
    if (claimed.length === 1) mine.push(hold);
  }
  return mine;
}

/** Sends claimed alerts side by side, so a slow portal holds up only its own; resolves to how many went out whole. */
export async function sendAlerts(deps: HoldAlertsDeps, claimed: readonly ClaimedAlert[], now: number): Promise<number> {
  const done = await Promise.all(
    claimed.map((hold) =>
      send(deps, hold, now).catch((error: unknown) => {
        deps.log(
          `alerts: ${hold.portal}: sending the ${hold.kind} hold alert failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        return false;
      }),
    ),
  );
  return done.filter(Boolean).length;
}

/** One pass: claims and sends what is due at `now`; resolves to how many alerts went out whole. */
export async function alertDueHolds(deps: HoldAlertsDeps, now: number): Promise<number> {
  return sendAlerts(deps, await claimDueAlerts(deps, now), now);
}

async function send(deps: HoldAlertsDeps, hold: DueHold, now: number): Promise<boolean> {
  const started = new Date(hold.startedAt).getTime();
  const missing = hold.supervisors.filter((id) => !hold.sentTo.includes(id));
  const names = await deps.actions.names(hold.portal, [hold.userId]).catch(() => new Map<number, string>());
  const message = holdMessage({
    lang: hold.language,
    kind: hold.kind,
    operator: names.get(hold.userId) ?? null,
    userId: hold.userId,
    heldMs: hold.kind === 'long' ? now - started : (hold.heldMs ?? 0),
    phone: hold.phone,
    crmType: hold.crmType,
    crmId: hold.crmId,
  });
  const outcome =
    missing.length > 0 ? await deps.actions.notify(hold.portal, missing, message) : { sentTo: [], error: null };
  const sentTo = [...hold.sentTo, ...outcome.sentTo];
  const done = hold.supervisors.every((id) => sentTo.includes(id));
  const attempts = hold.attempts + 1;
  // 2, 4, 8 … seconds, at most a minute.
  const nextTry = new Date(now + Math.min(60_000, 2000 * 2 ** (attempts - 1))).toISOString();
  await deps.db.query(
    `UPDATE hold_alerts SET sent_to = $6::int[], sent_at = $7, attempts = $8, next_try_at = $9, last_error = $10
     WHERE portal = $1 AND user_id = $2 AND call_key = $3 AND hold_seq = $4 AND kind = $5`,
    [
      hold.portal,
      hold.userId,
      hold.callKey,
      hold.holdSeq,
      hold.kind,
      sentTo,
      done ? new Date(now).toISOString() : null,
      attempts,
      nextTry,
      outcome.error,
    ],
  );
  if (!done) {
    const last = attempts >= MAX_ATTEMPTS ? '; given up' : `; tried again at ${nextTry}`;
    deps.log(
      `alerts: ${hold.portal}: the ${hold.kind} hold alert for user ${hold.userId} reached ${sentTo.length} of ${hold.supervisors.length} supervisors (${outcome.error ?? 'unknown'})${last}`,
    );
  }
  return done;
}
