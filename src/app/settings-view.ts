import { OPTION_NAME } from '../config/option-value.ts';
import { portalKey } from '../storage/portal-key.ts';
import type { OutputCatalog } from './catalog.ts';
import type { Logger } from '../log/logger.ts';
import { activityPanel } from './activity-panel.ts';
import { h } from './dom.ts';
import { outputsPanel } from './outputs-editor.ts';
import type { AppPortal } from './app-connection.ts';
import type { Texts } from './i18n/index.ts';
import { workerPanel } from './worker-panel.ts';
import { serverAccessPanel } from './server-access-panel.ts';
import { alertsPanel } from './alerts-panel.ts';
import { serverWebhooksPanel } from './webhooks/panel.ts';

/** The app page once installed: the outputs editor beside the worker's registration and this browser's activity. */
export function settingsView(portal: AppPortal, catalog: OutputCatalog, t: Texts, log: Logger): HTMLElement {
  const { session } = portal;
  const activity = activityPanel(session.lang, t, log, session.appOptions[OPTION_NAME], portalKey(session));
  const outputs = outputsPanel(portal, catalog, t, log, (option) => activity.update(option));
  return h(
    'div',
    { class: 'settings', 'data-testid': 'settings-view' },
    h(
      'header',
      { class: 'page-head' },
      h('div', {}, h('h1', {}, t.title), h('p', { class: 'lead' }, t.lead)),
      h(
        'span',
        { class: `role ${session.isAdmin ? 'admin' : 'reader'}`, 'data-testid': 'role' },
        session.isAdmin ? t.roleAdmin : t.roleReader,
      ),
    ),
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        { class: 'main-column' },
        outputs,
        serverWebhooksPanel(portal),
        session.isAdmin ? alertsPanel(portal, t) : null,
      ),
      h(
        'div',
        { class: 'side-column' },
        workerPanel(portal, t),
        session.isAdmin ? serverAccessPanel(portal, t) : null,
        activity.element,
      ),
    ),
  );
}
