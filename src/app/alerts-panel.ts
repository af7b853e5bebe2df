import type { AlertSettings } from '../contract/api.ts';
import type { AppPortal } from './app-connection.ts';
import { h, setChildren, uid } from './dom.ts';
import { createDirectory, type Directory } from './report/operators.ts';
import { browserZone } from './report/period.ts';
import { serverCall, serverStatus } from './server-api.ts';
import { interpolate, type Texts } from './i18n/index.ts';

/**
 * Hold alerts and the morning digest (admins): the threshold, the supervisors picked from the
 * portal's users and shown by name, alerts for customers who hung up while held, and the digest's
 * hour, zone and recipients. Saved on the server (`/api/settings/alerts`), with a test alert.
 */

export function alertsApi(
  portal: Pick<AppPortal, 'session' | 'operatorToken'>,
  apiBase = new URL('../api/', location.href).href,
) {
  const call = serverCall(portal, `${apiBase}settings/alerts`);
  return {
    /** Asked first, so a server without the credentials is asked nothing it would answer 404. */
    available: async () => {
      const status = await serverStatus(apiBase);
      return status.ok && status.value.credentials === true;
    },
    read: () => call<AlertSettings>(''),
    save: (settings: AlertSettings) => call<AlertSettings>('', 'PUT', settings),
    test: (supervisors: number[]) => call<{ sentTo: number[]; error: string | null }>('/test', 'POST', { supervisors }),
  };
}

/** A list of people picked from the portal, shown by name, each removable. */
function peoplePicker(t: Texts, label: string, testId: string, pick: () => Promise<number[]>, directory: Directory) {
  let ids: number[] = [];
  const list = h('ul', { class: 'people', 'data-testid': `${testId}-list` });
  const render = async () => {
    const names = await directory.load(ids);
    setChildren(
      list,
      ids.length === 0
        ? h('li', { class: 'hint' }, t.alertsNobody)
        : ids.map((id) => {
            const name = names.get(id)?.name ?? `#${id}`;
            return h(
              'li',
              { 'data-user-id': String(id) },
              name,
              ' ',
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn-link',
                  'aria-label': interpolate(t.alertsRemove, { name }),
                  onclick: () => {
                    ids = ids.filter((other) => other !== id);
                    void render();
                  },
                },
                '×',
              ),
            );
          }),
    );
  };
  const button = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-light',
      'data-testid': `${testId}-pick`,
      onclick: () =>
        void pick().then((picked) => {
          ids = [...new Set([...ids, ...picked])];
          void render();
        }),
    },
    t.alertsPick,
  );
  return {
    element: h('fieldset', { class: 'people-picker' }, h('legend', {}, label), list, button),
    get: () => ids,
    set(next: number[]) {
      ids = [...next];
      void render();
    },
  };
}

export function alertsPanel(portal: AppPortal, t: Texts, api = alertsApi(portal)): HTMLElement {
  const directory = createDirectory(portal.rest);
  const thresholdId = uid('alert-sec');
  const threshold = h('input', {
    id: thresholdId,
    type: 'number',
    min: '1',
    max: '86400',
    inputmode: 'numeric',
    'data-testid': 'alerts-threshold',
  });
  const supervisors = peoplePicker(t, t.alertsSupervisors, 'alerts-supervisors', () => portal.selectUsers(), directory);
  const hangup = h('input', { type: 'checkbox', 'data-testid': 'alerts-hangup' });
  const digestOn = h('input', { type: 'checkbox', 'data-testid': 'alerts-digest' });
  const hour = h(
    'select',
    { 'data-testid': 'alerts-digest-hour' },
    Array.from({ length: 24 }, (_, n) => h('option', { value: String(n) }, `${String(n).padStart(2, '0')}:00`)),
  );
  const zone = h('input', {
    type: 'text',
    value: browserZone(),
    'data-testid': 'alerts-digest-zone',
    autocomplete: 'off',
  });
  const recipients = peoplePicker(t, t.alertsDigestTo, 'alerts-digest-to', () => portal.selectUsers(), directory);
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'alerts-status' });
  const body = h('div', { class: 'alerts-body', 'data-testid': 'alerts-body' }, h('p', { class: 'hint' }, t.loading));

  const read = (): AlertSettings => {
    const seconds = threshold.value.trim() === '' ? null : Number(threshold.value);
    return {
      holdAlertSec: seconds,
      supervisors: supervisors.get(),
      onHangupWhileHeld: hangup.checked,
      digest: digestOn.checked ? { hour: Number(hour.value), tz: zone.value.trim(), to: recipients.get() } : null,
    };
  };
  const show = (settings: AlertSettings) => {
    threshold.value = settings.holdAlertSec === null ? '' : String(settings.holdAlertSec);
    supervisors.set(settings.supervisors);
    hangup.checked = settings.onHangupWhileHeld;
    digestOn.checked = settings.digest !== null;
    hour.value = String(settings.digest?.hour ?? 9);
    zone.value = settings.digest?.tz ?? browserZone();
    recipients.set(settings.digest?.to ?? []);
  };
  const report = (text: string, good: boolean) => {
    status.textContent = text;
    status.className = `status ${good ? 'good' : 'bad'}`;
  };
  const save = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-primary',
      'data-testid': 'alerts-save',
      onclick: () =>
        void api.save(read()).then((answer) => {
          if (answer.ok) show(answer.value);
          report(answer.ok ? t.alertsSaved : interpolate(t.alertsFailed, { reason: answer.error }), answer.ok);
        }),
    },
    t.alertsSave,
  );
  const test = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-light',
      'data-testid': 'alerts-test',
      onclick: () =>
        void api.test(supervisors.get()).then((answer) => {
          if (!answer.ok) return report(interpolate(t.alertsFailed, { reason: answer.error }), false);
          const sent = interpolate(t.alertsTestSent, { count: String(answer.value.sentTo.length) });
          report(
            answer.value.error ? `${sent} ${interpolate(t.alertsFailed, { reason: answer.value.error })}` : sent,
            answer.value.error === null,
          );
        }),
    },
    t.alertsTest,
  );

  void (async () => ((await api.available()) ? api.read() : null))().then((answer) => {
    if (answer === null)
      return setChildren(body, h('p', { class: 'hint', 'data-testid': 'alerts-unavailable' }, t.accessNotConfigured));
    if (!answer.ok)
      return setChildren(body, h('p', { class: 'warn-text', 'data-testid': 'alerts-unavailable' }, answer.error));
    show(answer.value);
    setChildren(
      body,
      h(
        'label',
        { class: 'field', for: thresholdId },
        h('span', {}, t.alertsThreshold),
        threshold,
        h('span', { class: 'hint' }, t.alertsThresholdHint),
      ),
      supervisors.element,
      h('label', { class: 'check' }, hangup, ' ', t.alertsHangup),
      h('label', { class: 'check' }, digestOn, ' ', t.alertsDigest),
      h(
        'div',
        { class: 'inline' },
        h('label', {}, t.alertsDigestHour, ' ', hour),
        h('label', {}, t.alertsDigestZone, ' ', zone),
      ),
      recipients.element,
      h('div', { class: 'actions' }, save, test),
      status,
    );
  });

  return h(
    'section',
    { class: 'card alerts', 'aria-labelledby': 'alerts-title', 'data-testid': 'alerts-panel' },
    h('h2', { id: 'alerts-title' }, t.alertsTitle),
    h('p', { class: 'hint' }, t.alertsLead),
    body,
  );
}
