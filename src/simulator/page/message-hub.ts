// The portal's message hub: checks where each frame message came from, answers the methods a
// PAGE_BACKGROUND_WORKER uses, keeps every frame's event bindings, and fires call card events.
// The app page's own methods (install, resize, title, user picker) are answered by an AppPageHost.
import { applyCommand, initializedPayload, type CallCardState } from './call-card.ts';
import type { MessageLog } from './message-log.ts';
import { formatAnswer, parseAppMessage, type AppMessage } from './protocol.ts';
import { openAppFrame, openWorkerFrame, type AuthGrant, type FrameSpec, type WorkerFrame } from './worker-frames.ts';

export interface PortalSettings {
  appUrl: string;
  appOrigin: string;
  lang: string;
  isAdmin: boolean;
  /** The portal user this page plays (`?user=8`); null: the default operator, or the admin with `?admin=1`. */
  userId: number | null;
  memberId: string;
  /** The holdRelay option for this page only (`?option=`); undefined = the simulator's stored one, null = none. */
  optionOverride: string | null | undefined;
}

const INITIALIZED = 'BackgroundCallCard::initialized';

type BindWaiter = { event: string; count: number; resolve: () => void };

/** What the portal does for the app page frame beyond what it does for worker frames. */
export interface AppFrameHandler {
  /** getInitData fields that differ for the app page (PLACEMENT, INSTALL, …). */
  initData(): Record<string, unknown>;
  /** Handles an app page message; false when the hub should treat it as for any frame. */
  handle(frame: WorkerFrame, message: AppMessage, answer: (result: unknown) => void): boolean;
}

export class Portal {
  readonly frames: WorkerFrame[] = [];
  card: CallCardState | null = null;
  private readonly waiters: BindWaiter[] = [];
  private readonly settings: PortalSettings;
  private readonly log: MessageLog;
  private readonly onChange: () => void;
  private appHandler: AppFrameHandler | null = null;

  constructor(settings: PortalSettings, log: MessageLog, onChange: () => void) {
    this.settings = settings;
    this.log = log;
    this.onChange = onChange;
    window.addEventListener('message', (event) => this.receive(event));
  }

  async openFrame(container: HTMLElement, label: string): Promise<WorkerFrame> {
    const frame = openWorkerFrame(container, label, await grant(this.settings), this.settings);
    this.frames.push(frame);
    this.log.add('note', label, `POST ${this.settings.appUrl} into frame "${frame.iframe.name}"`);
    this.onChange();
    return frame;
  }

  /** Opens the app page the way the portal opens an app's slider; `handler` answers its own methods. */
  async openAppPage(
    container: HTMLElement,
    label: string,
    spec: FrameSpec,
    handler: AppFrameHandler,
  ): Promise<WorkerFrame> {
    this.appHandler = handler;
    const frame = openAppFrame(container, label, await grant(this.settings), this.settings, spec);
    this.frames.push(frame);
    this.log.add('note', label, `POST ${spec.url} into frame "${frame.iframe.name}" (PLACEMENT=${spec.placement})`);
    this.onChange();
    return frame;
  }

  closeFrame(label: string): void {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i];
      if (frame?.label !== label) continue;
      frame.iframe.remove();
      this.frames.splice(i, 1);
      this.log.add('note', label, 'frame destroyed (the operator left the page)');
    }
    this.onChange();
  }

  /** Number of live frames bound to `event`. */
  boundCount(event: string): number {
    return this.frames.filter((f) => (f.bindings.get(event)?.length ?? 0) > 0).length;
  }

  waitForBind(event: string, count = 1): Promise<void> {
    if (this.boundCount(event) >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ event, count, resolve }));
  }

  /**
   * Fires a placement event to every frame bound to it: `<key>:<JSON(arg)>`, or `<key>:<raw>` when a
   * raw payload is given. Returns how many bindings it reached.
   */
  fire(event: string, arg: unknown, raw?: string): number {
    let reached = 0;
    for (const frame of this.frames) {
      for (const key of frame.bindings.get(event) ?? []) {
        this.post(frame, raw === undefined ? formatAnswer(key, arg) : `${key}:${raw}`, event);
        reached++;
      }
    }
    if (reached === 0) this.log.add('note', '-', `${event} fired; no frame subscribed to it, so nothing is posted`);
    return reached;
  }

  setCard(card: CallCardState | null): void {
    this.card = card;
    this.onChange();
  }

  private receive(event: MessageEvent): void {
    const frame = this.frames.find((f) => f.iframe.contentWindow !== null && f.iframe.contentWindow === event.source);
    if (!frame) return; // not from an app frame: the portal's own traffic, or a frame already destroyed
    const text = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
    if (event.origin !== this.settings.appOrigin) {
      this.log.add('dropped', frame.label, `origin ${event.origin} is not the handler's origin: ${text}`);
      return;
    }
    const message = parseAppMessage(event.data);
    if (typeof message === 'string') {
      this.log.add('dropped', frame.label, `${message}: ${text}`);
      return;
    }
    if (message.appSid !== frame.appSid) {
      this.log.add('dropped', frame.label, `unknown APP_SID ${message.appSid}: ${text}`);
      return;
    }
    this.log.add('in', frame.label, text);
    this.handle(frame, message).catch((error: unknown) =>
      this.log.add('dropped', frame.label, `the portal failed on ${message.method}: ${String(error)}`),
    );
  }

  private async handle(frame: WorkerFrame, message: AppMessage): Promise<void> {
    const answer = (result: unknown) => this.post(frame, formatAnswer(message.callback, result), message.method);
    const { method, params } = message;
    if (frame.kind === 'app' && this.appHandler?.handle(frame, message, answer)) return;
    switch (method) {
      case 'getInitData':
        return answer(await this.initData(frame));
      case 'refreshAuth':
        frame.auth = await grant(this.settings);
        return answer(frame.auth);
      case 'placementBindEvent':
        return this.bind(frame, params, message.callback);
      case 'setAppOption':
        if (!this.settings.isAdmin) return; // the portal never answers a non-admin here
        return answer(await saveOptions(params));
      case 'setUserOption':
        return answer(params);
      default:
        if (method.startsWith('CallCard')) {
          const { card, result } = applyCommand(this.card, method, params);
          if (card !== this.card) this.setCard(card);
          if (result !== 'no-answer') answer(result.answer);
        }
      // Other methods are not answered, as the portal does for a PAGE_BACKGROUND_WORKER it has no handler for.
    }
  }

  private bind(frame: WorkerFrame, params: Record<string, unknown>, callback: string): void {
    // Never answered at once: the key is kept and each firing is posted to it. Unknown names are kept too and never fire.
    if (typeof params.event !== 'string') return;
    const keys = frame.bindings.get(params.event) ?? [];
    keys.push(callback);
    frame.bindings.set(params.event, keys);
    // A frame that subscribes during a call learns it, and from CALL_STATE whether it is connected already.
    if (params.event === INITIALIZED && this.card && !this.card.ended)
      this.post(frame, formatAnswer(callback, initializedPayload(this.card)), params.event);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i];
      if (waiter && this.boundCount(waiter.event) >= waiter.count) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
    this.onChange();
  }

  private async initData(frame: WorkerFrame): Promise<Record<string, unknown>> {
    const { optionOverride, lang, isAdmin, memberId } = this.settings;
    const config = await fetchConfig();
    const holdRelay = optionOverride !== undefined ? optionOverride : config.holdRelay;
    const others = Object.fromEntries(Object.entries(config.appOptions ?? {}).filter(([name]) => name !== 'holdRelay'));
    const options = holdRelay === null ? others : { ...others, holdRelay };
    return {
      LANG: lang,
      DOMAIN: location.host,
      PROTOCOL: location.protocol === 'https:' ? 1 : 0,
      PATH: '/rest/',
      AUTH_ID: frame.auth.AUTH_ID,
      AUTH_EXPIRES: frame.auth.AUTH_EXPIRES,
      REFRESH_ID: frame.auth.REFRESH_ID,
      MEMBER_ID: memberId,
      FIRST_RUN: false,
      IS_ADMIN: isAdmin,
      INSTALL: false,
      USER_OPTIONS: [],
      APP_OPTIONS: Object.keys(options).length === 0 ? [] : options,
      PLACEMENT: 'PAGE_BACKGROUND_WORKER',
      PLACEMENT_OPTIONS: { ID: 'PAGE_BACKGROUND_WORKER', URI: location.pathname },
      ...(frame.kind === 'app' ? this.appHandler?.initData() : {}),
    };
  }

  private post(frame: WorkerFrame, text: string, what: string): void {
    frame.iframe.contentWindow?.postMessage(text, this.settings.appOrigin);
    this.log.add('out', frame.label, `${text}   (${what})`);
  }
}

export interface SimConfig {
  appUrl: string;
  appOrigin: string;
  /** The app page: the local app's handler and install URL. */
  appPageUrl: string;
  monitorUrl: string;
  sinkUrl: string;
  holdRelay: string | null;
  /** Every application option stored in the simulated portal. */
  appOptions?: Record<string, string>;
}

export async function fetchConfig(): Promise<SimConfig> {
  const response = await fetch('/sim/config.json', { cache: 'no-store' });
  return (await response.json()) as SimConfig;
}

export async function grant(who: { isAdmin: boolean; userId: number | null }): Promise<AuthGrant> {
  const response = await fetch('/sim/auth', {
    method: 'POST',
    body: JSON.stringify({ role: who.isAdmin ? 'admin' : 'operator', userId: who.userId }),
  });
  return (await response.json()) as AuthGrant;
}

/**
 * Stores application options and answers, as the portal does, with all of them. The SDK and BX24.js
 * send `{name, value}`; the simulator's own editor sends `{holdRelay}`.
 */
export async function saveOptions(options: Record<string, unknown>): Promise<Record<string, unknown>> {
  const named = typeof options.name === 'string' && 'value' in options ? { [options.name]: options.value } : options;
  if ('holdRelay' in named) {
    const value = named.holdRelay;
    await fetch('/sim/options', {
      method: 'POST',
      body: JSON.stringify({ holdRelay: typeof value === 'string' ? value : JSON.stringify(value) }),
    });
  }
  const { holdRelay } = await fetchConfig();
  return holdRelay === null ? {} : { holdRelay };
}
