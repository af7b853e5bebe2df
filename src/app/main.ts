import './app.css';
import { createLogger } from '../log/logger.ts';
import { parseFrameName } from '../portal/frame-name.ts';
import { loadCatalog } from './catalog.ts';
import { h } from './dom.ts';
import { installView } from './install-view.ts';
import { connectAppPortal } from './app-connection.ts';
import { withReport } from './report/tabs.ts';
import { settingsView } from './settings-view.ts';
import { textsFor } from './i18n/index.ts';

/** Wiring only: the portal's init data decides between the installer and the settings. */
async function main(): Promise<void> {
  const root = document.getElementById('app');
  const frame = parseFrameName(window.name);
  if (!root || !frame) return; // opened outside Bitrix24: the page's own text says what it is
  const log = createLogger();
  try {
    const [portal, catalog] = await Promise.all([connectAppPortal(frame), loadCatalog()]);
    const t = textsFor(portal.session.lang);
    document.documentElement.lang = t.code;
    document.title = t.title;
    root.replaceChildren(
      portal.session.install ? installView(portal, t) : withReport(portal, () => settingsView(portal, catalog, t, log)),
    );
    root.dataset.view = portal.session.install ? 'install' : 'settings';
  } catch (error) {
    log.error('the app page could not start', error);
    root.replaceChildren(
      h(
        'p',
        { class: 'notice bad', role: 'alert' },
        `Bitrix24 did not answer the app page: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    root.dataset.view = 'error';
  } finally {
    root.removeAttribute('aria-busy');
  }
}

void main();
