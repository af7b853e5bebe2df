// The app page once installed: the hold report and the settings as two tabs (the WAI-ARIA tabs
// pattern: arrow keys move between them). The report is built when its tab is first shown.
import { OPTION_NAME } from '../../config/option-value.ts';
import type { AppPortal } from '../app-connection.ts';
import { h } from '../dom.ts';
import { myHoldsView } from './my-holds-view.ts';
import { createDirectory } from './operators.ts';
import { browserZone } from './period.ts';
import { createReportApi } from './report-api.ts';
import { reportView } from './report-view.ts';
import { hasServerOutput } from './server-output.ts';
import { textsFor } from '../i18n/index.ts';
import './report.css';

type Tab = 'report' | 'settings';

/**
 * Opens on the report when holds are sent to the server (there is something to see), else on the
 * settings, where the server output is added.
 */
export function withReport(portal: AppPortal, makeSettings: () => HTMLElement): HTMLElement {
  const { session } = portal;
  const t = textsFor(session.lang).report;
  const tz = browserZone();
  const api = createReportApi({
    base: new URL('../api/', location.href).href,
    domain: session.domain,
    token: (options) => portal.operatorToken(options),
  });
  const directory = createDirectory(portal.rest);
  let settingsStale = false;

  const panels: Record<Tab, HTMLElement> = {
    report: h('div', {
      role: 'tabpanel',
      id: 'panel-report',
      'aria-labelledby': 'tab-report',
      'data-testid': 'panel-report',
      tabindex: 0,
    }),
    settings: h(
      'div',
      { role: 'tabpanel', id: 'panel-settings', 'aria-labelledby': 'tab-settings', 'data-testid': 'panel-settings' },
      makeSettings(),
    ),
  };
  const tabs: Record<Tab, HTMLButtonElement> = {
    report: h(
      'button',
      { type: 'button', role: 'tab', id: 'tab-report', 'aria-controls': 'panel-report', 'data-testid': 'tab-report' },
      t.tabReport,
    ),
    settings: h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: 'tab-settings',
        'aria-controls': 'panel-settings',
        'data-testid': 'tab-settings',
      },
      t.tabSettings,
    ),
  };
  let built = false;
  const show = (tab: Tab, focus = false) => {
    for (const name of Object.keys(tabs) as Tab[]) {
      const selected = name === tab;
      tabs[name].setAttribute('aria-selected', String(selected));
      tabs[name].tabIndex = selected ? 0 : -1;
      panels[name].hidden = !selected;
    }
    if (focus) tabs[tab].focus();
    if (tab === 'report' && !built) {
      built = true;
      panels.report.append(
        session.isAdmin
          ? reportView({
              portal,
              api,
              directory,
              t,
              lang: session.lang,
              tz,
              onOptionChanged: () => (settingsStale = true),
            }).element
          : myHoldsView({ portal, api, directory, t, lang: session.lang, tz }),
      );
    }
    if (tab === 'settings' && settingsStale) {
      settingsStale = false;
      panels.settings.replaceChildren(makeSettings());
    }
  };
  const order: Tab[] = ['report', 'settings'];
  for (const name of order) {
    tabs[name].addEventListener('click', () => show(name));
    tabs[name].addEventListener('keydown', (event) => {
      const at = order.indexOf(name);
      const next =
        event.key === 'ArrowRight'
          ? order[(at + 1) % order.length]
          : event.key === 'ArrowLeft'
            ? order[(at + order.length - 1) % order.length]
            : event.key === 'Home'
              ? order[0]
              : event.key === 'End'
                ? order[order.length - 1]
                : undefined;
      if (next) {
        event.preventDefault();
        show(next, true);
      }
    });
  }
  show(hasServerOutput(session.appOptions[OPTION_NAME]) ? 'report' : 'settings');
  return h(
    'div',
    { class: 'app-tabs' },
    h(
      'div',
      { class: 'tablist', role: 'tablist', 'aria-label': t.tabsLabel },
      order.map((name) => tabs[name]),
    ),
    order.map((name) => panels[name]),
  );
}
