// The simulated portal page: a call card, the worker frames, the holdRelay option editor, the
// app's monitor, the webhook sink and the message log. `window.portalSim` lets tests drive it.
import { AppPageHost } from './app-page.ts';
import { cardButtons, connect, initializedPayload, newCall, type CallCardState, type CallStart } from './call-card.ts';
import { MessageLog } from './message-log.ts';
import { fetchConfig, Portal, saveOptions } from './message-hub.ts';
import { startSinkPanel } from './sink-panel.ts';

const HOLD = 'BackgroundCallCard::holdButtonClick';
/** Portal paths the app page asked to open in a slider (openPath), in order. */
const openedPaths: string[] = [];
const EVENT = (name: string) => `BackgroundCallCard::${name}`;
const PAGE = 'page';
const SLIDER = 'slider';

const $ = <T extends HTMLElement>(testId: string): T => {
  const element = document.querySelector<T>(`[data-testid="${testId}"]`);
  if (!element) throw new Error(`the simulator page has no [data-testid="${testId}"]`);
  return element;
};

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const config = await fetchConfig();
  const optionParam = query.get('option');
  const isAdmin = query.get('admin') === '1';
  const userId = /^\d{1,6}$/.test(query.get('user') ?? '') ? Number(query.get('user')) : null;
  const lang = query.get('lang') ?? 'en';
  const log = new MessageLog($<HTMLOListElement>('message-log'));
  const portal = new Portal(
    {
      appUrl: config.appUrl,
      appOrigin: config.appOrigin,
      lang,
      isAdmin,
      userId,
      // `?member=` plays another portal on the same site: its frames share the browser's storage partition.
      memberId: query.get('member') ?? 'b24holdrelaysimulator0000000000',
      optionOverride: optionParam === null ? undefined : optionParam === 'none' ? null : optionParam,
    },
    log,
    () => render(),
  );

  const render = () => {
    renderCard(portal.card);
    $('frames').replaceChildren(
      ...portal.frames.map((frame) => {
        const li = document.createElement('li');
        const bound = [...frame.bindings.keys()].map((e) => e.replace('BackgroundCallCard::', '')).join(', ');
        li.textContent = `${frame.label}: APP_SID ${frame.appSid.slice(0, 8)}…, bound to ${bound || 'nothing yet'}`;
        return li;
      }),
    );
    $('slider').hidden = !portal.frames.some((f) => f.label === SLIDER);
  };

  const withCard = (change: (card: CallCardState) => CallCardState | null, event: string, arg?: unknown) => {
    if (!portal.card) return;
    const next = change(portal.card);
    portal.setCard(next);
    portal.fire(EVENT(event), arg);
  };
  const clickHold = () => {
    const held = !(portal.card?.held ?? false);
    withCard((card) => ({ ...card, held }), 'holdButtonClick', held);
  };
  const reloadWorker = () => {
    portal.closeFrame(PAGE);
    void portal.openFrame($('page-frames'), PAGE);
  };
  const openSlider = () => {
    if (!portal.frames.some((f) => f.label === SLIDER)) void portal.openFrame($('slider-frames'), SLIDER);
  };

  const startCall = (start: CallStart) => {
    const card = newCall(Date.now(), start);
    portal.setCard(card);
    portal.fire(EVENT('initialized'), initializedPayload(card));
  };
  $('incoming-call').addEventListener('click', () => startCall('incoming'));
  $('outgoing-call').addEventListener('click', () => startCall('outgoing'));
  $('outgoing-connected').addEventListener('click', () => startCall('outgoing-connected'));
  $('answer').addEventListener('click', () => withCard(connect, 'answerButtonClick'));
  // The person called picks up: the card shows it, and the portal tells the app nothing.
  $('callee-answers').addEventListener('click', () => portal.card && portal.setCard(connect(portal.card)));
  $('hold').addEventListener('click', clickHold);
  $('mute').addEventListener('click', () => {
    const muted = !(portal.card?.muted ?? false);
    withCard((card) => ({ ...card, muted }), 'muteButtonClick', muted);
  });
  $('hangup').addEventListener('click', () =>
    withCard((card) => ({ ...card, ended: true, uiState: 'idle' }), 'hangupButtonClick'),
  );
  $('close-card').addEventListener('click', () => withCard(() => null, 'closeButtonClick'));
  $('reload-worker').addEventListener('click', reloadWorker);
  $('open-slider').addEventListener('click', openSlider);
  $('close-slider').addEventListener('click', () => portal.closeFrame(SLIDER));
  $('fire-raw').addEventListener('click', () => portal.fire(HOLD, undefined, $<HTMLInputElement>('raw-payload').value));

  const appHost = setUpAppPage(portal, config.appPageUrl, query);
  setUpOptionEditor(config.holdRelay, optionParam, reloadWorker);
  $<HTMLIFrameElement>('monitor-frame').src = config.monitorUrl;
  $('sink-url').textContent = `Receives webhooks at ${config.sinkUrl} and checks their Standard Webhooks signature.`;
  const who = $('who');
  who.append(
    `Portal ${location.host} · ${isAdmin ? 'administrator' : 'operator (not an admin)'} · language ${lang} · `,
  );
  const switchRole = document.createElement('a');
  const next = new URLSearchParams(query);
  next.set('admin', isAdmin ? '0' : '1');
  switchRole.href = `?${next}`;
  switchRole.textContent = isAdmin ? 'be an operator' : 'be an admin';
  who.append(switchRole);
  startSinkPanel(document);
  $('seed-month').addEventListener('click', () => {
    const status = $('seed-status');
    status.textContent = 'Seeding 7 days of calls for 8 operators through the app’s server…';
    const started = performance.now();
    void fetch('/sim/seed', { method: 'POST', body: JSON.stringify({ days: 7 }) })
      .then(async (response) => ({
        ok: response.ok,
        body: (await response.json()) as { holds?: number; events?: number; error?: string },
      }))
      .then(({ ok, body }) => {
        status.textContent = ok
          ? `Seeded ${body.holds ?? 0} holds (${body.events ?? 0} events) in ${((performance.now() - started) / 1000).toFixed(1)} s. Open the app page's Hold report as an admin.`
          : `Not seeded: ${body.error ?? 'the app’s server refused'} (is the server running with statistics on?)`;
      });
  });

  setUpLifecycle();
  startBell($('bell'));

  Object.assign(window, {
    portalSim: {
      messages: log.messages,
      frames: () => portal.frames.map((f) => ({ appSid: f.appSid, label: f.label, bound: [...f.bindings.keys()] })),
      fire: (event: string, raw?: string) => portal.fire(event, portal.card?.held ?? false, raw),
      waitForBind: (event: string, count = 1) => portal.waitForBind(event, count),
      card: () => (portal.card ? { ...portal.card } : null),
      clickHold,
      reloadWorker,
      openSlider,
      closeSlider: () => portal.closeFrame(SLIDER),
      openApp: (install?: boolean) => appHost.open(install),
      closeApp: () => appHost.close(),
      installFinishes: () => appHost.finishes.length,
      appMode: () => appHost.mode,
      openedPaths: () => [...openedPaths],
    },
  });
  render();
  const worker = portal.openFrame($('page-frames'), PAGE);
  if (query.get('page') === 'app') await appHost.open();
  await worker;
}

/** The bell: the app's system notifications, newest first, names as the portal's directory has them. */
function startBell(list: HTMLElement): void {
  let shown = -1;
  const refresh = async () => {
    const { notifications } = (await (await fetch('/sim/notifications', { cache: 'no-store' })).json()) as {
      notifications: { at: number; userId: number; message: string }[];
    };
    if (notifications.length === shown) return;
    shown = notifications.length;
    list.replaceChildren(
      ...notifications
        .slice()
        .reverse()
        .map((n) => {
          const item = document.createElement('li');
          const when = document.createElement('time');
          when.textContent = new Date(n.at).toLocaleTimeString();
          const to = document.createElement('strong');
          to.textContent = ` to user ${n.userId}: `;
          // BB-code shown as the text it is; the portal would render [B] and [URL].
          item.append(when, to, n.message);
          return item;
        }),
    );
  };
  const tick = () =>
    void refresh()
      .catch(() => undefined)
      .finally(() => setTimeout(tick, 1000));
  tick();
}

/** The portal's side of the app's life: install and uninstall events, and switching the worker off. */
function setUpLifecycle(): void {
  const status = $('lifecycle-status');
  const run = (path: string, body: Record<string, unknown>, doing: string) => {
    status.textContent = doing;
    void fetch(path, { method: 'POST', body: JSON.stringify(body) })
      .then(async (response) => ({
        ok: response.ok,
        body: (await response.json()) as {
          deliveries?: { what: string; url: string; status: number; answer: string }[];
          error?: string;
        },
      }))
      .then(({ ok, body }) => {
        const sent = body.deliveries ?? [];
        status.textContent = !ok
          ? (body.error ?? 'refused')
          : sent.length === 0
            ? 'Nothing to post: the app bound no handler for it.'
            : sent
                .map(
                  (d) =>
                    `${d.what} → ${d.url}: ${d.status === 0 ? 'no answer' : `HTTP ${d.status}`} ${d.answer.slice(0, 120)}`,
                )
                .join(' · ');
      })
      .catch((error: unknown) => void (status.textContent = String(error)));
  };
  $('worker-overtime').addEventListener('click', () =>
    run('/sim/placement-overtime', {}, 'Deleting the worker’s registration and posting the notice…'),
  );
  $('uninstall-app').addEventListener('click', () => run('/sim/uninstall', { clean: false }, 'Uninstalling…'));
  $('uninstall-clean').addEventListener('click', () =>
    run('/sim/uninstall', { clean: true }, 'Uninstalling and asking the app to delete its data…'),
  );
  $('forged-uninstall').addEventListener('click', () =>
    run('/sim/forged-uninstall', { clean: true }, 'Posting an uninstall with a made-up application_token…'),
  );
}

/**
 * The app's slider. `?page=app` opens it at once; `&install=1` opens the app page as the installer
 * (INSTALL = true) until it sends installFinish; `&finish=stay` keeps the installer open afterwards.
 */
function setUpAppPage(portal: Portal, url: string, query: URLSearchParams): AppPageHost {
  const host = new AppPageHost(portal, url, query.get('install') === '1', {
    container: $('app-frames'),
    slider: $('app-slider'),
    status: (text) => void ($('install-status').textContent = text),
    title: (text) => void ($('app-slider-title').textContent = text),
    openPath: (path, closed) => {
      openedPaths.push(path);
      $('crm-slider-path').textContent = path;
      $('crm-slider').hidden = false;
      $('crm-slider-close').focus();
      $('crm-slider-close').onclick = () => {
        $('crm-slider').hidden = true;
        closed();
      };
    },
  });
  host.pick = (query.get('pick') ?? '')
    .split(',')
    .map(Number)
    .filter((id) => Number.isSafeInteger(id) && id > 0);
  const reload = $<HTMLInputElement>('reload-on-finish');
  reload.checked = query.get('finish') !== 'stay';
  host.reloadOnFinish = reload.checked;
  reload.addEventListener('change', () => (host.reloadOnFinish = reload.checked));
  $('open-app').addEventListener('click', () => void host.open());
  $('open-installer').addEventListener('click', () => void host.open(true));
  $('close-app').addEventListener('click', () => host.close());
  $('app-slider').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') host.close();
  });
  return host;
}

function renderCard(card: CallCardState | null): void {
  const body = document.querySelector<HTMLElement>('.card-body');
  $('card-empty').hidden = card !== null;
  if (body) body.hidden = card === null;
  for (const [id, shown] of Object.entries(cardButtons(card))) $<HTMLButtonElement>(id).disabled = !shown;
  $<HTMLButtonElement>('callee-answers').disabled = !(
    card &&
    !card.ended &&
    card.direction === 'outgoing' &&
    !card.answered
  );
  $('hold').setAttribute('aria-pressed', String(card?.held ?? false));
  $('hold').textContent = card?.held ? 'Resume (on hold)' : 'Hold';
  $('mute').setAttribute('aria-pressed', String(card?.muted ?? false));
  if (!card) return;
  $('card-title').textContent = card.title;
  $('card-phone').textContent = `${card.phoneNumber} · ${card.callId}`;
  $('card-status-text').textContent = card.statusText;
  $('card-flags').textContent = [
    `${card.direction} · state ${card.uiState}`,
    card.answered ? 'connected' : 'ringing',
    card.held ? 'held' : null,
    card.muted ? 'muted' : null,
    card.timerRunning ? 'timer running' : null,
    card.ended ? 'call ended' : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

function setUpOptionEditor(stored: string | null, override: string | null, reloadWorker: () => void): void {
  const editor = $<HTMLTextAreaElement>('option-editor');
  const status = $('option-status');
  const source = $('option-source');
  const pretty = (text: string | null) => {
    if (text === null) return '';
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return text;
    }
  };
  editor.value = pretty(override === null ? stored : override === 'none' ? null : override);
  source.textContent =
    override === null
      ? 'Stored in the simulated portal; every new worker frame reads it (getInitData → APP_OPTIONS).'
      : 'Set for this page only by the ?option= query. Saving stores it for every page.';
  const report = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle('error', error);
  };
  $('option-save').addEventListener('click', () => {
    try {
      JSON.parse(editor.value);
    } catch (error) {
      report(
        `Not saved: the option is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
        true,
      );
      return;
    }
    void saveOptions({ holdRelay: editor.value }).then(() => {
      report('Saved. The worker frame was reloaded and reads the new option; its log shows any invalid output.');
      if (override === null) reloadWorker();
      else location.search = '';
    });
  });
  $('option-clear').addEventListener('click', () => {
    void fetch('/sim/options', { method: 'POST', body: JSON.stringify({ holdRelay: null }) }).then(() => {
      editor.value = '';
      report('Removed. Without the option the worker uses the log output only.');
      reloadWorker();
    });
  });
}

main().catch((error: unknown) => {
  document.body.prepend(`The simulator could not start: ${error instanceof Error ? error.message : String(error)}`);
  console.error(error);
});
