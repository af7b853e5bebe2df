// What the portal does around the app itself, besides frames: right after installFinish it POSTs
// ONAPPINSTALL (with the app's first tokens and an application_token) to the handlers the app bound
// with event.bind; an uninstall POSTs ONAPPUNINSTALL (no usable token) and revokes the app's tokens;
// and a worker that loaded too slowly too often loses its registration, with a notice POSTed to
// its errorHandlerUrl. Each delivery and its answer is kept for the simulator page and the tests.
import { randomBytes } from 'node:crypto';
import type { OAuthIssuer } from './oauth-issuer.ts';
import { ADMIN, type RestPortal } from './rest-portal.ts';

export const MEMBER_ID = 'sim0d7e5a1f3c2b4e6a8d9c0b1a2f3e4d5';

export interface Delivery {
  at: number;
  what: 'ONAPPINSTALL' | 'ONAPPUNINSTALL' | 'ERROR_PLACEMENT_LOADING_OVERTIME';
  url: string;
  status: number;
  answer: string;
}

export interface AppLifecycle {
  /** The app finished its install (installFinish): ONAPPINSTALL goes to its handlers. */
  installed(): Promise<Delivery[]>;
  /** The admin uninstalled the app, deleting its data when `clean`. */
  uninstall(clean: boolean): Promise<Delivery[]>;
  /** The portal switched the worker off for loading too slowly. */
  overtime(): Promise<Delivery[]>;
  /** Posts an uninstall with a made-up application_token, as anyone on the internet could. */
  forgedUninstall(clean: boolean): Promise<Delivery[]>;
  readonly deliveries: Delivery[];
}

export interface LifecycleOptions {
  rest: RestPortal;
  issuer: OAuthIssuer;
  /** The portal's DOMAIN (host:port) and scheme. */
  domain: () => string;
  protocol: 'http' | 'https';
}

const MAX_KEPT = 100;

export function createAppLifecycle(options: LifecycleOptions): AppLifecycle {
  const deliveries: Delivery[] = [];
  let applicationToken: string | null = null;

  const post = async (what: Delivery['what'], url: string, fields: Record<string, string>): Promise<Delivery> => {
    let delivery: Delivery;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(15_000),
      });
      delivery = { at: Date.now(), what, url, status: response.status, answer: (await response.text()).slice(0, 500) };
    } catch (error) {
      delivery = { at: Date.now(), what, url, status: 0, answer: String(error) };
    }
    deliveries.push(delivery);
    if (deliveries.length > MAX_KEPT) deliveries.shift();
    return delivery;
  };
  const handlers = (event: string) => options.rest.eventBindings.filter((b) => b.event === event).map((b) => b.handler);
  const base = () => ({ 'auth[domain]': options.domain(), 'auth[member_id]': MEMBER_ID });
  const uninstallFields = (token: string, clean: boolean) => ({
    event: 'ONAPPUNINSTALL',
    'data[CLEAN]': clean ? '1' : '0',
    ts: String(Math.floor(Date.now() / 1000)),
    ...base(),
    'auth[application_token]': token,
  });

  return {
    deliveries,
    async installed() {
      applicationToken = randomBytes(16).toString('hex');
      const token = applicationToken;
      return Promise.all(
        handlers('ONAPPINSTALL').map((url) => {
          const tokens = options.issuer.issue(options.domain(), MEMBER_ID, options.protocol);
          return post('ONAPPINSTALL', url, {
            event: 'ONAPPINSTALL',
            'data[VERSION]': '1',
            'data[ACTIVE]': 'Y',
            'data[INSTALLED]': 'Y',
            'data[LANGUAGE_ID]': 'en',
            ts: String(Math.floor(Date.now() / 1000)),
            'auth[access_token]': tokens.access_token,
            'auth[expires_in]': String(tokens.expires_in),
            'auth[scope]': tokens.scope,
            ...base(),
            'auth[client_endpoint]': tokens.client_endpoint,
            'auth[server_endpoint]': tokens.server_endpoint,
            'auth[user_id]': String(ADMIN.id),
            'auth[refresh_token]': tokens.refresh_token,
            'auth[application_token]': token,
            'auth[status]': 'L',
          });
        }),
      );
    },
    async uninstall(clean) {
      const sent = applicationToken
        ? await Promise.all(
            handlers('ONAPPUNINSTALL').map((url) =>
              post('ONAPPUNINSTALL', url, uninstallFields(applicationToken as string, clean)),
            ),
          )
        : [];
      for (const token of options.issuer.revoke(options.domain())) options.rest.revokeToken(token);
      options.rest.placements.splice(0);
      options.rest.eventBindings.splice(0);
      applicationToken = null;
      return sent;
    },
    async forgedUninstall(clean) {
      return Promise.all(
        handlers('ONAPPUNINSTALL').map((url) =>
          post('ONAPPUNINSTALL', url, uninstallFields(randomBytes(16).toString('hex'), clean)),
        ),
      );
    },
    async overtime() {
      const workers = options.rest.placements.filter((p) => p.placement === 'PAGE_BACKGROUND_WORKER');
      const targets = [
        ...new Set(
          workers
            .map((p) => (typeof p.options.errorHandlerUrl === 'string' ? p.options.errorHandlerUrl : null))
            .filter((url): url is string => url !== null),
        ),
      ];
      for (const placement of workers) options.rest.placements.splice(options.rest.placements.indexOf(placement), 1);
      return Promise.all(
        targets.map((url) =>
          post('ERROR_PLACEMENT_LOADING_OVERTIME', url, {
            error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
            error_description:
              'The application handler took more than 5 seconds to load more than 10 times a day; the placement was deleted.',
            DOMAIN: options.domain(),
            member_id: MEMBER_ID,
            PLACEMENT: 'PAGE_BACKGROUND_WORKER',
          }),
        ),
      );
    },
  };
}
