// The alert settings of a portal (`GET/PUT /api/settings/alerts`): who hears of a hold that runs
// long, of a customer who hung up while held, and who gets the morning digest, when.
import * as v from 'valibot';
import type { AlertSettings } from '../../contract/api.ts';
import { canonicalZone } from '../holds/report-period.ts';
import type { Queryable } from '../db/index.ts';

const userIds = v.pipe(
  v.array(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  v.maxLength(50, 'at most 50 people'),
);

export const AlertSettingsSchema = v.strictObject({
  /** Seconds a hold may run before supervisors hear of it (at most 4 hours: older open holds are taken for lost ends); null: no alerts. */
  holdAlertSec: v.nullable(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(14_400))),
  supervisors: userIds,
  onHangupWhileHeld: v.boolean(),
  digest: v.nullable(
    v.strictObject({
      hour: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(23)),
      tz: v.pipe(
        v.string(),
        v.check((zone) => canonicalZone(zone) !== null, 'must be an IANA time zone, such as Europe/Berlin'),
      ),
      to: userIds,
    }),
  ),
});
export type { AlertSettings };
/** The schema gives exactly the contract's type: a change to one without the other does not compile. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaIsContract: Same<v.InferOutput<typeof AlertSettingsSchema>, AlertSettings> = true;
void schemaIsContract;

export const NO_ALERTS: AlertSettings = { holdAlertSec: null, supervisors: [], onHangupWhileHeld: false, digest: null };

interface Row {
  holdAlertSec: number | null;
  supervisors: number[];
  onHangupWhileHeld: boolean;
  digestHour: number | null;
  digestTz: string | null;
  digestTo: number[];
}

export async function readAlertSettings(db: Queryable, portal: string): Promise<AlertSettings> {
  const [row] = await db.query<Row>(
    `SELECT hold_alert_sec AS "holdAlertSec", supervisors, on_hangup_while_held AS "onHangupWhileHeld",
            digest_hour AS "digestHour", digest_tz AS "digestTz", digest_to AS "digestTo"
     FROM alert_settings WHERE portal = $1`,
    [portal],
  );
  if (!row) return NO_ALERTS;
  return {
    holdAlertSec: row.holdAlertSec,
    supervisors: row.supervisors,
    onHangupWhileHeld: row.onHangupWhileHeld,
    digest:
      row.digestHour === null || row.digestTz === null
        ? null
        : { hour: row.digestHour, tz: row.digestTz, to: row.digestTo },
  };
}

export async function saveAlertSettings(db: Queryable, portal: string, settings: AlertSettings): Promise<void> {
  const tz = settings.digest ? canonicalZone(settings.digest.tz) : null;
  await db.query(
    `INSERT INTO alert_settings (portal, hold_alert_sec, supervisors, on_hangup_while_held, digest_hour, digest_tz, digest_to, updated_at)
     VALUES ($1, $2, $3::int[], $4, $5, $6, $7::int[], now())
     ON CONFLICT (portal) DO UPDATE SET hold_alert_sec = EXCLUDED.hold_alert_sec, supervisors = EXCLUDED.supervisors,
       on_hangup_while_held = EXCLUDED.on_hangup_while_held, digest_hour = EXCLUDED.digest_hour, digest_tz = EXCLUDED.digest_tz,
       digest_to = EXCLUDED.digest_to, updated_at = now()`,
    [
      portal,
      settings.holdAlertSec,
      [...new Set(settings.supervisors)],
      settings.onHangupWhileHeld,
      settings.digest?.hour ?? null,
      tz,
      [...new Set(settings.digest?.to ?? [])],
    ],
  );
}
