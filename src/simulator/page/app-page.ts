// The app's own slider: the portal opens the app page (the local app's handler URL) by a POSTed form
// with PLACEMENT=DEFAULT, as the installer while INSTALL is true. installFinish marks the app installed
// and, as Bitrix24 does, reloads the page as the app; the other methods an app page sends are
// answered harmlessly.
import type { AppFrameHandler, Portal } from './message-hub.ts';
import type { AppMessage } from './protocol.ts';
import type { WorkerFrame } from './worker-frames.ts';

export const APP_LABEL = 'app';

/** The simulated user picker's choice by default: the operator the simulator grants tokens for; `?pick=1,12` picks others. */
const PICKED_USERS = [
  {
    id: '7',
    name: 'Anna Operator',
    photo: '',
    position: 'Operator',
    url: '/company/personal/user/7/',
    sub: false,
    supervisor: false,
  },
];

function pickedUsers(ids: readonly number[]): typeof PICKED_USERS {
  if (ids.length === 0) return PICKED_USERS;
  return ids.map((id) => ({
    id: String(id),
    name: `#${id}`,
    photo: '',
    position: '',
    url: `/company/personal/user/${id}/`,
    sub: false,
    supervisor: false,
  }));
}

export interface AppPageView {
  container: HTMLElement;
  /** Shown while the slider is open; hidden by close(). */
  slider: HTMLElement;
  status(text: string): void;
  title(text: string): void;
  /** Shows a portal page in a slider over the app; `closed` runs when the user closes it. */
  openPath(path: string, closed: () => void): void;
}

export class AppPageHost implements AppFrameHandler {
  installing: boolean;
  reloadOnFinish = true;
  /** Whom the user picker answers with; [] for the default operator. */
  pick: number[] = [];
  /** When the app page sent setInstallFinish (ms since epoch), in order. */
  readonly finishes: number[] = [];
  private frame: WorkerFrame | null = null;
  private readonly portal: Portal;
  private readonly url: string;
  private readonly view: AppPageView;

  constructor(portal: Portal, url: string, installing: boolean, view: AppPageView) {
    this.portal = portal;
    this.url = url;
    this.installing = installing;
    this.view = view;
  }

  get mode(): 'install' | 'app' | null {
    return this.frame ? (this.installing ? 'install' : 'app') : null;
  }

  async open(install = this.installing): Promise<void> {
    this.close();
    this.installing = install;
    this.view.slider.hidden = false;
    this.view.status(
      install
        ? 'Opened as the installer (getInitData INSTALL = true): the app is not installed until it sends installFinish.'
        : 'Opened as the app (installed).',
    );
    this.frame = await this.portal.openAppPage(
      this.view.container,
      APP_LABEL,
      {
        url: this.url,
        placement: 'DEFAULT',
        placementOptions: {},
        className: 'app-frame',
        title: 'Hold relay app page',
        kind: 'app',
      },
      this,
    );
  }

  close(): void {
    if (!this.frame) return;
    this.portal.closeFrame(APP_LABEL);
    this.frame = null;
    this.view.slider.hidden = true;
  }

  initData(): Record<string, unknown> {
    return { PLACEMENT: 'DEFAULT', PLACEMENT_OPTIONS: {}, INSTALL: this.installing, FIRST_RUN: this.installing };
  }

  handle(_frame: WorkerFrame, message: AppMessage, answer: (result: unknown) => void): boolean {
    const { method, params } = message;
    switch (method) {
      case 'setInstallFinish':
        if (!this.installing) return true; // already installed: no effect, no answer
        this.finishes.push(Date.now());
        this.installing = false;
        // As Bitrix24 does right after an install: ONAPPINSTALL, with the app's own tokens, to the handlers the app bound.
        void fetch('/sim/app-installed', { method: 'POST' }).catch(() => undefined);
        this.view.status(
          `installFinish received at ${new Date().toLocaleTimeString()}: the app is installed${this.reloadOnFinish ? '; the portal reloads it as the app' : ' (reload switched off: the installer stays open)'}.`,
        );
        if (this.reloadOnFinish) setTimeout(() => void this.open(false), 0);
        return true;
      case 'setInstall':
        answer(undefined);
        return true;
      case 'resizeWindow':
      case 'setScroll':
        answer(params);
        return true;
      case 'setTitle':
        if (typeof params.title === 'string') this.view.title(params.title.slice(0, 200));
        answer(params);
        return true;
      case 'selectUser':
        answer(params.mult === true ? pickedUsers(this.pick) : pickedUsers(this.pick)[0]);
        return true;
      case 'openPath':
        // A portal page (a CRM card) in the portal's own slider; answered when it is closed.
        if (typeof params.path === 'string') this.view.openPath(params.path, () => answer({ result: 'close' }));
        return true;
      case 'reloadWindow':
        setTimeout(() => void this.open(), 0);
        return true;
      case 'closeApplication':
        setTimeout(() => this.close(), 0);
        answer(undefined);
        return true;
      default:
        return false;
    }
  }
}
