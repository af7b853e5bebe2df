import type { ConnectedPortal } from '../portal/frame-connection.ts';
import type { AppStatus } from '../contract/api.ts';
import { formatTime, h, setChildren } from './dom.ts';
import { serverCall, serverStatus, type Answer } from './server-api.ts';
import { interpolate, type Texts } from './i18n/index.ts';

/**
 * What this server holds of the portal (admins): its own credentials and their renewal, the worker
 * registration it keeps alive, and its REST calls of the last 3 days; or what to do when it holds none.
 */

export type AccessStatus = ({ configured: true } & AppStatus) | { configured: false };

const LOG_ROWS = 20;

export async function loadAccessStatus(
  portal: Pick<ConnectedPortal, 'session' | 'operatorToken'>,
  apiBase = new URL('../api/', location.href).href,
): Promise<Answer<AccessStatus>> {
  // A server without the credentials (or without statistics) has nothing more to say: ask it nothing else.
  const status = await serverStatus(apiBase);
  if (!status.ok || status.value.credentials !== true) return { ok: true, value: { configured: false } };
  return serverCall(portal, apiBase)<AccessStatus>('portal/status');
}

export function accessView(status: AccessStatus, t: Texts, lang = t.code): HTMLElement[] {
  if (!status.configured)
    return [
      h(
        'p',
        { class: 'warn-text', 'data-testid': 'access-state', 'data-state': 'not-configured' },
        t.accessNotConfigured,
      ),
    ];
  if (!status.installed)
    return [
      h(
        'p',
        { class: 'warn-text', 'data-testid': 'access-state', 'data-state': 'not-installed' },
        t.accessNotInstalled,
      ),
    ];
  const when = (value: string | null) =>
    value ? `${new Date(value).toLocaleDateString(lang === 'ua' ? 'uk' : lang)} ${formatTime(value, lang)}` : '–';
  const { registration } = status;
  const outcome =
    registration.outcome === 'present'
      ? t.accessOutcomePresent
      : registration.outcome === 'rebound'
        ? interpolate(t.accessOutcomeRebound, { detail: registration.detail ?? '' })
        : interpolate(t.accessOutcomeFailed, { detail: registration.detail ?? '' });
  const rows = status.restCalls
    .slice(0, LOG_ROWS)
    .map((call) =>
      h(
        'tr',
        {},
        h('td', {}, formatTime(call.at, lang)),
        h('td', {}, h('code', {}, call.method)),
        h('td', {}, String(call.status)),
        h('td', {}, `${call.durationMs} ms`),
        h('td', {}, call.error ?? ''),
      ),
    );
  return [
    status.renewalFailed
      ? h(
          'p',
          { class: 'bad-text', 'data-testid': 'access-state', 'data-state': 'renewal-failed' },
          interpolate(t.accessRenewalFailed, { error: status.renewalFailed.error, at: when(status.renewalFailed.at) }),
        )
      : h(
          'p',
          { class: 'state ok', 'data-testid': 'access-state', 'data-state': 'installed' },
          interpolate(t.accessInstalled, { installed: when(status.installedAt), renewed: when(status.renewedAt) }),
        ),
    h(
      'p',
      {
        class: registration.outcome === 'failed' ? 'warn-text' : 'hint',
        'data-testid': 'access-registration',
        'data-outcome': registration.outcome ?? 'never',
      },
      registration.checkedAt
        ? interpolate(t.accessRegistration, { at: when(registration.checkedAt), outcome })
        : t.accessNeverChecked,
    ),
    h(
      'details',
      {},
      h('summary', {}, t.accessRestLog),
      rows.length === 0
        ? h('p', { class: 'hint' }, t.accessRestLogEmpty)
        : h('table', { class: 'rest-log', 'data-testid': 'rest-log' }, h('tbody', {}, rows)),
    ),
  ];
}

/** For admins only: the status is theirs to read. */
export function serverAccessPanel(portal: Pick<ConnectedPortal, 'session' | 'operatorToken'>, t: Texts): HTMLElement {
  const body = h('div', { 'data-testid': 'access-body' }, h('p', { class: 'hint' }, t.loading));
  const section = h(
    'section',
    { class: 'card server-access', 'aria-labelledby': 'access-title', 'data-testid': 'server-access' },
    h('h2', { id: 'access-title' }, t.accessTitle),
    body,
  );
  void loadAccessStatus(portal).then((answer) => {
    setChildren(
      body,
      ...(answer.ok
        ? accessView(answer.value, t, portal.session.lang)
        : [h('p', { class: 'warn-text' }, interpolate(t.accessUnavailable, { reason: answer.error }))]),
    );
  });
  return section;
}
