// Alerts and the digest as the server runs them (with the app's own credentials): due holds are
// looked for twice a second, digests once a minute. Each pass is awaited before the next is
// scheduled, and a failed pass is logged and tried again at the next turn.
import { randomBytes } from 'node:crypto';
import type { Driver } from '../db/index.ts';
import type { PortalAccess } from '../credentials/app-rest-for.ts';
import { alertTexts } from './alert-texts.ts';
import { readAlertSettings, saveAlertSettings, type AlertSettings } from './alert-settings.ts';
import { sendDueDigests } from './digest.ts';
import { claimDueAlerts, sendAlerts } from './hold-alerts.ts';
import { createPortalActions, type NotifyOutcome, type PortalActions } from './portal-actions.ts';
import { interpolate } from '../../i18n/messages.ts';

export const ALERT_POLL_MS = 500;
export const DIGEST_POLL_MS = 60_000;
/** Alert and digest records are kept this long (they only stop a second send), then purged daily. */
export const ALERT_RECORDS_KEEP_MS = 30 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Deletes alert and digest records past ALERT_RECORDS_KEEP_MS; resolves to how many went. */
export async function purgeAlertRecords(db: Driver, now: number): Promise<number> {
  const before = new Date(now - ALERT_RECORDS_KEEP_MS).toISOString();
  const alerts = await db.query('DELETE FROM hold_alerts WHERE claimed_at < $1 RETURNING 1', [before]);
  const digests = await db.query('DELETE FROM digests_sent WHERE day < $1::timestamptz::date RETURNING 1', [before]);
  return alerts.length + digests.length;
}

export interface Alerts {
  settings(portal: string): Promise<AlertSettings>;
  save(portal: string, settings: AlertSettings): Promise<void>;
  /** Sends a test alert to the portal's supervisors (or to `to`) now. */
  test(portal: string, to: readonly number[], holdAlertSec: number | null): Promise<NotifyOutcome>;
  close(): Promise<void>;
}

export interface AlertsOptions extends PortalAccess {
  log: (line: string) => void;
  /** false in tests that run the passes themselves. */
  schedule?: boolean;
  actions?: PortalActions;
}

export function startAlerts(options: AlertsOptions): Alerts {
  const { db, log } = options;
  const now = options.now ?? Date.now;
  const actions =
    options.actions ??
    createPortalActions({
      db,
      credentials: options.credentials,
      portalOrigins: options.portalOrigins,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  const serverId = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    const tracked = work.catch(() => undefined).finally(() => running.delete(tracked));
    running.add(tracked);
  };

  const loop = (name: string, everyMs: number, pass: () => Promise<unknown>): void => {
    const turn = (): void => {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        const current = pass()
          .catch((error: unknown) =>
            log(
              `alerts: a ${name} pass failed (tried again in ${everyMs} ms): ${error instanceof Error ? error.message : String(error)}`,
            ),
          )
          .finally(() => {
            running.delete(current);
            turn();
          });
        running.add(current);
      }, everyMs);
      timer.unref?.();
      timers.add(timer);
    };
    turn();
  };
  if (options.schedule !== false) {
    // Claiming is quick; the sends go on beside the next passes (a claim holds its rows meanwhile).
    loop('hold alert', ALERT_POLL_MS, async () => {
      const at = now();
      const deps = { db, actions, serverId, log };
      track(sendAlerts(deps, await claimDueAlerts(deps, at), at));
    });
    loop('digest', DIGEST_POLL_MS, () => sendDueDigests({ db, actions, log }, now()));
    loop('purge', DAY_MS, () => purgeAlertRecords(db, now()));
  }

  return {
    settings: (portal) => readAlertSettings(db, portal),
    save: (portal, settings) => saveAlertSettings(db, portal, settings),
    async test(portal, to, holdAlertSec) {
      const [row] = await db.query<{ language: string | null }>(
        'SELECT language FROM portal_installs WHERE portal = $1',
        [portal],
      );
      const message = interpolate(alertTexts(row?.language ?? null).test, { seconds: String(holdAlertSec ?? '–') });
      return actions.notify(portal, to, message);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(running);
    },
  };
}
