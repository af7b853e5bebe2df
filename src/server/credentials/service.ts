// The app's own credentials as the server runs them (only with B24_CLIENT_ID and B24_CLIENT_SECRET
// set and statistics on, since they live in its database): installs and uninstalls the portal
// reports, tokens renewed on demand and weekly, the worker's registration kept alive, and the
// REST log purged after 3 days. Daily work starts a minute after start, then runs once a day.
import { allowedOrigin } from '../auth/portal-origin.ts';
import { currentUserId, isPortalAdmin, tokenAppCode } from '../auth/portal-rest.ts';
import type { AppStatus } from '../../contract/api.ts';
import type { Clock } from '../clock.ts';
import type { Driver } from '../db/index.ts';
import { deletePortal } from '../holds/retention.ts';
import { readBindings } from '../../app/registration.ts';
import { createAppRest } from './app-rest.ts';
import { createCredentials, type Credentials } from './credentials-service.ts';
import {
  applicationTokenHash,
  findInstall,
  forgetInstall,
  installedPortalOf,
  installedPortals,
  registrationOf,
  saveAppId,
  saveInstall,
  saveRegistrationCheck,
  saveWorkerTarget,
} from './install-store.ts';
import { renewTokens, type OAuthSettings } from './oauth-client.ts';
import type { PortalEvent } from './portal-event.ts';
import { createRegistrationKeeper, targetOf, type RegistrationKeeper } from './registration-keeper.ts';
import { listRestCalls, purgeRestCalls, recordRestCall } from './rest-log.ts';
import { createSecretBox } from './secret-box.ts';

const DAY_MS = 24 * 3600_000;
/** How long an answer to "installed here?" is reused: a yes for 30 s, a no for 5 s. */
const INSTALLED_TTL_MS = 30_000;
const NOT_INSTALLED_TTL_MS = 5_000;
const FIRST_DAILY_RUN_MS = 60_000;

export type InstallEvent = Extract<PortalEvent, { kind: 'install' }>;
export type UninstallEvent = Extract<PortalEvent, { kind: 'uninstall' }>;
export type Acceptance = { ok: true; detail: string } | { ok: false; status: 401 | 403 | 502 | 503; error: string };

export type { AppStatus };

export interface AppCredentials {
  readonly credentials: Credentials;
  readonly keeper: RegistrationKeeper;
  acceptInstall(event: InstallEvent): Promise<Acceptance>;
  acceptUninstall(event: UninstallEvent): Promise<Acceptance>;
  /** Whether the portal installed the app here; answers are reused for a few seconds. */
  isInstalled(portal: string): Promise<boolean>;
  /** A placement-error notice named a portal (maybe falsely): its registration is checked if it is installed here. */
  noticed(named: { memberId: string | null; domain: string | null }): Promise<void>;
  status(portal: string): Promise<AppStatus>;
  /** Stops the daily work and waits for renewals under way, whose new tokens must be stored before the database closes. */
  close(): Promise<void>;
}

export interface AppCredentialsOptions {
  db: Driver;
  oauth: OAuthSettings;
  portalOrigins: readonly string[];
  fetch?: typeof fetch;
  now?: () => number;
  log: (line: string) => void;
  /** News that needs no action; default `log`. */
  info?: (line: string) => void;
  /** false in tests that drive the daily work themselves. */
  schedule?: boolean;
  /** The registration keeper's clock (the gap between two checks of a portal); the real one by default. */
  registrationClock?: Clock;
}

const iso = (value: Date | string | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

export function startAppCredentials(options: AppCredentialsOptions): AppCredentials {
  const { db, log } = options;
  const info = options.info ?? log;
  const now = options.now ?? Date.now;
  const fetcher = options.fetch ?? fetch;
  const box = createSecretBox(options.oauth.clientSecret);
  const credentials = createCredentials({ db, box, oauth: options.oauth, fetch: fetcher, now, warn: log });
  const keeper = createRegistrationKeeper({
    db,
    credentials,
    portalOrigins: options.portalOrigins,
    fetch: fetcher,
    now,
    log,
    info,
    ...(options.registrationClock ? { clock: options.registrationClock } : {}),
  });

  const daily = async (): Promise<void> => {
    await credentials
      .renewStale()
      .catch((error: unknown) => log(`credentials: the weekly renewal failed: ${String(error)}`));
    for (const portal of await installedPortals(db).catch(() => [])) await keeper.check(portal);
    await purgeRestCalls(db, now()).catch((error: unknown) =>
      log(`credentials: purging the REST log failed: ${String(error)}`),
    );
  };
  const timers =
    options.schedule === false
      ? []
      : [setTimeout(() => void daily(), FIRST_DAILY_RUN_MS), setInterval(() => void daily(), DAY_MS)];
  for (const timer of timers) timer.unref?.();

  const installedCache = new Map<string, { installed: boolean; until: number }>();
  const forgetCached = (portal: string): void => void installedCache.delete(portal);

  const refuse = (status: 401 | 403 | 502 | 503, error: string): Acceptance => ({ ok: false, status, error });

  return {
    credentials,
    keeper,
    async acceptInstall(event) {
      const origin = allowedOrigin(event.domain, options.portalOrigins);
      if (!origin) return refuse(403, `portal ${event.domain} is not allowed on this server (PORTAL_ORIGINS)`);
      const [app, admin, user] = await Promise.all([
        tokenAppCode(fetcher, origin, event.accessToken),
        isPortalAdmin(fetcher, origin, event.accessToken),
        currentUserId(fetcher, origin, event.accessToken),
      ]);
      for (const answer of [app, admin, user]) {
        if (answer.kind === 'rejected')
          return refuse(401, `the portal refused the install's access token (${answer.error})`);
        if (answer.kind === 'unreachable') return refuse(503, `${origin} did not answer: ${answer.detail}`);
        if (answer.kind === 'bad-answer') return refuse(502, `${origin}: ${answer.detail}`);
      }
      if (app.kind !== 'ok' || app.value !== options.oauth.clientId)
        return refuse(401, "the install's token was issued to another application");
      if (admin.kind !== 'ok' || !admin.value) return refuse(403, "the install's token is not an administrator's");
      // Renewing at once proves the refresh token is this app's in this portal, and retires the one that travelled in the event.
      const renewed = await renewTokens(fetcher, options.oauth, event.refreshToken);
      if (renewed.kind === 'refused')
        return refuse(401, `the OAuth server refused the install's refresh token (${renewed.error})`);
      if (renewed.kind === 'unavailable') return refuse(503, renewed.detail);
      if (renewed.tokens.memberId !== event.memberId)
        return refuse(401, "the OAuth server names another portal for the install's refresh token");
      const { tokens } = renewed;
      // Under the portal's lock: a renewal of the old tokens under way must not mark or overwrite the new ones.
      await credentials.exclusive(event.domain, (tx) =>
        saveInstall(tx, {
          portal: event.domain,
          memberId: event.memberId,
          applicationToken: event.applicationToken,
          sealedRefreshToken: box.seal(event.domain, tokens.refreshToken),
          sealedAccessToken: box.seal(event.domain, tokens.accessToken),
          accessExpiresAt: new Date(now() + tokens.expiresInS * 1000),
          installedBy: user.kind === 'ok' ? user.value : null,
          language: event.language,
          at: new Date(now()),
        }),
      );
      // What the install registered is what the server keeps alive.
      const rest = createAppRest({
        origin,
        token: tokens.accessToken,
        fetch: fetcher,
        now,
        record: (call) => recordRestCall(db, event.domain, call),
      });
      const appInfo = await rest('app.info');
      const appId = appInfo.ok ? (appInfo.result as { ID?: unknown } | null)?.ID : undefined;
      if (typeof appId === 'string' || typeof appId === 'number') await saveAppId(db, event.domain, String(appId));
      const read = await readBindings(rest);
      const target = read.ok ? targetOf(read.bindings) : null;
      if (target) {
        await saveWorkerTarget(db, event.domain, target);
        await saveRegistrationCheck(db, event.domain, 'present', null, new Date(now()));
      }
      forgetCached(event.domain);
      info(
        `credentials: ${event.domain} installed here by user ${user.kind === 'ok' ? user.value : '?'}${target ? '' : '; no worker registration found to keep alive'}`,
      );
      return { ok: true, detail: 'installed' };
    },
    async acceptUninstall(event) {
      const row = await findInstall(db, event.domain);
      if (
        !row ||
        row.memberId !== event.memberId ||
        row.applicationTokenHash !== applicationTokenHash(event.applicationToken)
      ) {
        log(
          `credentials: an uninstall naming ${event.domain} was refused: its application_token is not the one this portal's install gave`,
        );
        return refuse(401, 'unknown application_token');
      }
      await forgetInstall(db, event.domain);
      forgetCached(event.domain);
      if (event.clean) {
        await deletePortal(db, event.domain);
        // What deleting the statistics keeps (so it cannot reset the day's quota) goes with the app.
        for (const table of ['rest_calls', 'event_quota', 'alert_settings', 'hold_alerts', 'digests_sent'])
          await db.query(`DELETE FROM ${table} WHERE portal = $1`, [event.domain]);
      }
      info(
        `credentials: ${event.domain} uninstalled; its tokens and webhooks are deleted${event.clean ? ', and all of its data' : ''}`,
      );
      return { ok: true, detail: event.clean ? 'uninstalled; all data deleted' : 'uninstalled' };
    },
    async isInstalled(portal) {
      const cached = installedCache.get(portal);
      if (cached && cached.until > now()) return cached.installed;
      const installed = (await findInstall(db, portal)) !== null;
      if (installedCache.size > 10_000) installedCache.clear();
      installedCache.set(portal, { installed, until: now() + (installed ? INSTALLED_TTL_MS : NOT_INSTALLED_TTL_MS) });
      return installed;
    },
    async noticed(named) {
      const portal = await installedPortalOf(db, named.memberId, named.domain).catch(() => null);
      if (portal) keeper.noticed(portal);
    },
    async status(portal) {
      const row = await findInstall(db, portal);
      const registration = row ? await registrationOf(db, portal) : null;
      return {
        installed: row !== null,
        installedAt: iso(row?.installedAt),
        renewedAt: iso(row?.renewedAt),
        renewalFailed: row?.renewalFailedAt
          ? { at: iso(row.renewalFailedAt) ?? '', error: row.renewalError ?? 'refused' }
          : null,
        registration: {
          checkedAt: iso(registration?.checkedAt),
          outcome: registration?.outcome ?? null,
          detail: registration?.detail ?? null,
        },
        restCalls: row ? await listRestCalls(db, portal, 100) : [],
      };
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      keeper.close();
      await credentials.idle();
    },
  };
}
