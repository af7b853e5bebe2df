import { HOLD_EVENT_TYPES } from '../../hold/types.ts';
import type { AppPortal } from '../app-connection.ts';
import { formatTime, h, setChildren } from '../dom.ts';
import { webhooksApi, type Delivery, type ServerWebhook, type WebhooksApi } from './api.ts';
import { interpolate, textsFor, type WebhookTexts } from '../i18n/index.ts';

/**
 * The admins' panel for webhooks the app's server signs and sends: add one (its secret shown once),
 * rotate or delete it, and read its delivery log with "Send again".
 */
export function serverWebhooksPanel(portal: AppPortal, api: WebhooksApi = webhooksApi(portal)): HTMLElement {
  const { session } = portal;
  const t = textsFor(session.lang).webhooks;
  const body = h('div', { class: 'server-webhooks-body' });
  const section = h(
    'section',
    { class: 'card server-webhooks', 'aria-labelledby': 'server-webhooks-title', 'data-testid': 'server-webhooks' },
    h('h2', { id: 'server-webhooks-title' }, t.title),
    h('p', { class: 'hint' }, t.lead),
    h('p', { class: 'hint', 'data-testid': 'browser-webhook-note' }, t.browserNote),
    body,
  );
  if (!session.isAdmin) {
    setChildren(body, h('p', { class: 'hint' }, t.adminOnly));
    return section;
  }
  const list = h('div', { class: 'output-list', 'data-testid': 'server-webhook-list' });
  const revealed = h('div', { 'data-testid': 'webhook-secret-box' });
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'server-webhooks-status' });

  const reveal = (text: string, secret: string) =>
    setChildren(
      revealed,
      h(
        'div',
        { class: 'notice', role: 'status' },
        h(
          'label',
          { class: 'field' },
          h('span', {}, text),
          h('input', { type: 'text', readonly: true, value: secret, 'data-testid': 'webhook-secret' }),
        ),
      ),
    );

  const refresh = async (): Promise<void> => {
    const answer = await api.list();
    if (!answer.ok) return unavailable(answer.error);
    setChildren(
      list,
      answer.value.webhooks.length === 0
        ? h('p', { class: 'hint' }, t.none)
        : answer.value.webhooks.map((w) => webhookCard(w)),
    );
  };

  const webhookCard = (webhook: ServerWebhook): HTMLElement => {
    const log = h('div', { class: 'delivery-log', 'data-testid': 'delivery-log' });
    let open = false;
    const logButton = h('button', { type: 'button', class: 'btn btn-light', 'data-testid': 'show-log' }, t.log);
    const showLog = async () => {
      const answer = await api.deliveries(webhook.id);
      if (!answer.ok)
        return setChildren(log, h('p', { class: 'warn-text' }, interpolate(t.failed, { reason: answer.error })));
      setChildren(
        log,
        deliveryTable(answer.value.deliveries, t, session.lang, async (delivery) => {
          const retried = await api.retry(webhook.id, delivery.id);
          status.textContent = retried.ok ? t.sentAgain : interpolate(t.failed, { reason: retried.error });
          await showLog();
        }),
      );
    };
    logButton.addEventListener('click', () => {
      open = !open;
      logButton.textContent = open ? t.hideLog : t.log;
      if (open) void showLog();
      else setChildren(log);
    });
    const rotate = h('button', { type: 'button', class: 'btn btn-light', 'data-testid': 'rotate-secret' }, t.rotate);
    rotate.addEventListener(
      'click',
      () =>
        void api.rotate(webhook.id).then((answer) => {
          if (answer.ok)
            reveal(
              interpolate(t.rotateDone, {
                url: webhook.url,
                until: new Date(answer.value.previousSecretUntil).toLocaleString(session.lang),
              }),
              answer.value.secret,
            );
          else status.textContent = interpolate(t.failed, { reason: answer.error });
        }),
    );
    const remove = h('button', { type: 'button', class: 'btn btn-light', 'data-testid': 'delete-webhook' }, t.remove);
    remove.addEventListener('click', () => {
      if (!confirm(interpolate(t.removeConfirm, { url: webhook.url }))) return;
      void api.remove(webhook.id).then(refresh);
    });
    return h(
      'article',
      { class: 'output-card', 'data-testid': 'server-webhook', 'data-id': webhook.id },
      h('div', { class: 'card-head' }, h('h3', {}, h('code', {}, webhook.url))),
      h(
        'p',
        { class: 'hint' },
        webhook.on.join(', '),
        webhook.confirm ? ` · ${interpolate(t.confirming, { ms: String(webhook.timeoutMs) })}` : '',
      ),
      webhook.stopped
        ? h(
            'p',
            { class: 'warn-text', 'data-testid': 'webhook-stopped' },
            interpolate(t.stopped, {
              at: formatTime(webhook.stopped.at, session.lang),
              reason: webhook.stopped.reason,
            }),
          )
        : null,
      queueLine(webhook, t),
      h('div', { class: 'actions' }, logButton, rotate, remove),
      log,
    );
  };

  const unavailable = (reason: string) =>
    setChildren(
      body,
      h(
        'p',
        { class: 'notice bad', 'data-testid': 'server-webhooks-unavailable' },
        interpolate(t.unavailable, { reason }),
      ),
    );
  setChildren(
    body,
    revealed,
    list,
    addForm(t, async (settings) => {
      const answer = await api.create(settings);
      if (!answer.ok) return answer.error;
      reveal(interpolate(t.secretOnce, { url: String(settings.url) }), answer.value.secret);
      await refresh();
      return null;
    }),
    status,
  );
  void api.available().then((status) => {
    if (!status.ok) unavailable(status.error);
    else if (!status.value.stats) unavailable('statistics are off');
    else void refresh();
  });
  return section;
}

/** How many deliveries wait, and a warning when the queue is full and new ones are not queued. */
function queueLine(webhook: ServerWebhook, t: WebhookTexts): HTMLElement | null {
  const values = {
    pending: String(webhook.pending),
    max: String(webhook.maxPending),
    notQueued: String(webhook.notQueued),
  };
  if (webhook.capped)
    return h('p', { class: 'warn-text', 'data-testid': 'webhook-capped' }, interpolate(t.capped, values));
  return webhook.pending > 0
    ? h('p', { class: 'hint', 'data-testid': 'webhook-pending' }, interpolate(t.pending, values))
    : null;
}

function addForm(t: WebhookTexts, create: (settings: Record<string, unknown>) => Promise<string | null>): HTMLElement {
  const url = h('input', {
    type: 'url',
    required: true,
    placeholder: 'https://pbx.example.com/bitrix/hold',
    'data-testid': 'new-webhook-url',
  });
  const boxes = HOLD_EVENT_TYPES.map((type) =>
    h('input', { type: 'checkbox', value: type, checked: type === 'hold.started' || type === 'hold.ended' }),
  );
  const confirmBox = h('input', { type: 'checkbox', 'data-testid': 'new-webhook-confirm' });
  const timeout = h('input', { type: 'number', min: 100, max: 30000, value: '3000' });
  const maxAge = h('input', { type: 'number', min: 60000, max: 604800000, value: '86400000' });
  const result = h('p', { class: 'status', role: 'status', 'data-testid': 'new-webhook-status' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'add-webhook' }, t.add);
  const form = h(
    'form',
    { class: 'fields', 'data-testid': 'new-webhook' },
    h('label', { class: 'field' }, h('span', {}, t.url), url, h('span', { class: 'hint' }, t.urlHint)),
    h(
      'fieldset',
      { class: 'events' },
      h('legend', {}, t.events),
      boxes.map((box) => h('label', { class: 'choice' }, box, ` ${box.value}`)),
    ),
    h('label', { class: 'choice' }, confirmBox, ` ${t.confirm}`),
    h('label', { class: 'field' }, h('span', {}, t.timeoutMs), timeout),
    h('label', { class: 'field' }, h('span', {}, t.maxAgeMs), maxAge),
    h('div', { class: 'actions' }, button, result),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    result.textContent = t.adding;
    const settings = {
      url: url.value.trim(),
      on: boxes.filter((box) => box.checked).map((box) => box.value),
      confirm: confirmBox.checked,
      timeoutMs: Number(timeout.value),
      maxAgeMs: Number(maxAge.value),
    };
    void create(settings)
      .then((error) => {
        result.textContent = error === null ? '' : interpolate(t.failed, { reason: error });
        result.className = `status ${error === null ? 'good' : 'bad'}`;
        if (error === null) url.value = '';
      })
      .finally(() => (button.disabled = false));
  });
  return form;
}

function deliveryTable(
  deliveries: Delivery[],
  t: WebhookTexts,
  lang: string,
  sendAgain: (delivery: Delivery) => Promise<void>,
): HTMLElement {
  if (deliveries.length === 0) return h('p', { class: 'hint' }, t.logEmpty);
  const answerOf = (d: Delivery) => {
    const last = d.recent[0];
    if (!last) return '';
    return [
      last.status === null ? last.error : `HTTP ${last.status}`,
      last.answer ? `: ${last.answer.slice(0, 120)}` : '',
      ` (${last.durationMs} ms)`,
    ].join('');
  };
  return h(
    'table',
    { class: 'events', 'data-testid': 'delivery-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [t.colTime, t.colEvent, t.colStatus, t.colTries, t.colAnswer, t.colNext, ''].map((c) => h('th', {}, c)),
      ),
    ),
    h(
      'tbody',
      {},
      deliveries.map((d) => {
        const again = h('button', { type: 'button', class: 'btn btn-light', 'data-testid': 'send-again' }, t.sendAgain);
        again.addEventListener('click', () => {
          again.disabled = true;
          void sendAgain(d);
        });
        return h(
          'tr',
          { 'data-testid': 'delivery', 'data-status': d.status, 'data-event': d.eventId },
          h('td', {}, formatTime(d.createdAt, lang)),
          h('td', {}, h('code', {}, d.type), ' ', h('span', { class: 'hint' }, d.eventId)),
          h('td', {}, t.statuses[d.status] ?? d.status),
          h('td', { class: 'num' }, String(d.attempts)),
          h('td', {}, answerOf(d)),
          h('td', {}, d.nextAttemptAt ? formatTime(d.nextAttemptAt, lang) : ''),
          h('td', {}, again),
        );
      }),
    ),
  );
}
