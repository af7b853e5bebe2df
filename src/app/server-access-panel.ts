import type { PortalLink } from '../portal/frame-connection.ts';
import type { AppStatus } from '../server/credentials/service.ts';
import { formatTime, h, setChildren } from './dom.ts';
import { interpolate, type Texts } from './texts.ts';

/**
 * What this server holds of the portal (admins): its own credentials and their renewal, the worker
 * registration it keeps alive, and its REST calls of the last 3 days; or what to do when it holds none.
 */

export type AccessStatus = ({ configured: true } & AppStatus) | { configured: false };

const LOG_ROWS = 20;

export async function loadAccessStatus(portal: Pick<PortalLink, 'session' | 'operatorToken'>, apiBase = new URL('../api/', location.href).href): Promise<{ ok: true; value: AccessStatus } | { ok: false; error: string }> {
  try {
    // A server without the credentials (or without statistics) has nothing more to say: ask it nothing else.
    if (!(await serverHoldsCredentials(apiBase))) return { ok: true, value: { configured: false } };
    const token = await portal.operatorToken();
    const response = await fetch(`${apiBase}portal/status`, {
      headers: { authorization: `Bearer ${token ?? ''}`, 'x-portal-domain': portal.session.domain },
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
    });
    const body = (await response.json().catch(() => null)) as (AccessStatus & { error?: string }) | null;
    if (response.ok && body) return { ok: true, value: body };
    return { ok: false, error: typeof body?.error === 'string' ? body.error : `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** What `/api/status` says of the app's credentials; false when it cannot say. */
export async function serverHoldsCredentials(apiBase: string): Promise<boolean> {
  try {
    const response = await fetch(`${apiBase}status`, { credentials: 'omit', cache: 'no-store', redirect: 'error' });
    const body = (await response.json()) as { credentials?: unknown };
    return response.ok && body.credentials === true;
  } catch {
    return false;
  }
}

export function accessView(status: AccessStatus, t: Texts, lang = t.code): HTMLElement[] {
  if (!status.configured) return [h('p', { class: 'warn-text', 'data-testid': 'access-state', 'data-state': 'not-configured' }, t.accessNotConfigured)];
  if (!status.installed) return [h('p', { class: 'warn-text', 'data-testid': 'access-state', 'data-state': 'not-installed' }, t.accessNotInstalled)];
  const when = (value: string | null) => (value ? `${new Date(value).toLocaleDateString(lang === 'ua' ? 'uk' : lang)} ${formatTime(value, lang)}` : '–');
  const { registration } = status;
  const outcome = registration.outcome === 'present' ? t.accessOutcomePresent
    : registration.outcome === 'rebound' ? interpolate(t.accessOutcomeRebound, { detail: registration.detail ?? '' })
    : interpolate(t.accessOutcomeFailed, { detail: registration.detail ?? '' });
  const rows = status.restCalls.slice(0, LOG_ROWS).map((call) => h('tr', {},
    h('td', {}, formatTime(call.at, lang)), h('td', {}, h('code', {}, call.method)), h('td', {}, String(call.status)),
    h('td', {}, `${call.durationMs} ms`), h('td', {}, call.error ?? '')));
  return [
    status.renewalFailed
      ? h('p', { class: 'bad-text', 'data-testid': 'access-state', 'data-state': 'renewal-failed' }, interpolate(t.accessRenewalFailed, { error: status.renewalFailed.error, at: when(status.renewalFailed.at) }))
      : h('p', { class: 'state ok', 'data-testid': 'access-state', 'data-state': 'installed' }, interpolate(t.accessInstalled, { installed: when(status.installedAt), renewed: when(status.renewedAt) })),
    h('p', { class: registration.outcome === 'failed' ? 'warn-text' : 'hint', 'data-testid': 'access-registration', 'data-outcome': registration.outcome ?? 'never' },
      registration.checkedAt ? interpolate(t.accessRegistration, { at: when(registration.checkedAt), outcome }) : t.accessNeverChecked),
    h('details', {},
      h('summary', {}, t.accessRestLog),
      rows.length === 0 ? h('p', { class: 'hint' }, t.accessRestLogEmpty) : h('table', { class: 'rest-log', 'data-testid': 'rest-log' }, h('tbody', {}, rows))),
  ];
}

/** For admins only: the status is theirs to read. */
export function serverAccessPanel(portal: Pick<PortalLink, 'session' | 'operatorToken'>, t: Texts): HTMLElement {
  const body = h('div', { 'data-testid': 'access-body' }, h('p', { class: 'hint' }, t.loading));
  const section = h('section', { class: 'card server-access', 'aria-labelledby': 'access-title', 'data-testid': 'server-access' }, h('h2', { id: 'access-title' }, t.accessTitle), body);
  void loadAccessStatus(portal).then((answer) => {
    setChildren(body, ...(answer.ok ? accessView(answer.value, t, portal.session.lang) : [h('p', { class: 'warn-text' }, interpolate(t.accessUnavailable, { reason: answer.error }))]));
  });
  return section;
}
