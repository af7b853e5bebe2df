import { setChildren, formatTime, h } from './dom.ts';
import type { AppPortal } from './app-connection.ts';
import { bindingProblems, readBindings, registerWorker, workerTarget, type Binding } from './registration.ts';
import { scopeControl } from './scope-control.ts';
import { interpolate, type Texts } from './i18n/index.ts';

/** The worker's registration (placement.get), the portal's switch-off notices, and "Register again". */

export interface Notice {
  receivedAt: string;
  error: string;
  description: string | null;
  domain: string | null;
  memberId: string | null;
  /** Always false today: anyone can post a notice naming a portal, and the server cannot check it. */
  verified?: boolean;
}

const NOTICES_SHOWN = 5;

export function workerPanel(portal: AppPortal, t: Texts): HTMLElement {
  const { session } = portal;
  const status = h(
    'div',
    { class: 'worker-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'worker-status' },
    h('p', { class: 'hint' }, t.loading),
  );
  const notices = h('div', { class: 'notices', 'data-testid': 'worker-notices' });
  const controls = h('div', { class: 'register' });
  const expected = workerTarget(location.href);

  const showBindings = (bindings: Binding[]) => {
    const problems = bindingProblems(bindings, expected);
    const users = bindings.map((b) => b.userId).filter((id) => id > 0);
    const everyone = bindings.some((b) => b.userId === 0);
    const state = problems.includes('none') ? 'missing' : problems.length > 0 ? 'warn' : 'ok';
    status.dataset.state = state;
    setChildren(
      status,
      h(
        'p',
        { class: `state ${state}` },
        state === 'missing'
          ? t.workerMissing
          : everyone
            ? t.workerEveryone
            : interpolate(t.workerUsers, { ids: users.join(', ') }),
      ),
      problems.includes('handler')
        ? h(
            'p',
            { class: 'warn-text' },
            interpolate(t.workerElsewhere, {
              handler: bindings.map((b) => b.handler).join(', '),
              expected: expected.handler,
            }),
          )
        : null,
      problems.includes('errorHandler') && !problems.includes('none')
        ? h('p', { class: 'warn-text' }, t.workerNoErrorHandler)
        : null,
      state === 'missing'
        ? null
        : h('p', { class: 'hint' }, t.workerHandler, ' ', h('code', {}, bindings[0]?.handler ?? '')),
    );
    return everyone ? [] : users;
  };

  const refresh = async (): Promise<number[]> => {
    const read = await readBindings(portal.rest);
    if (read.ok) return showBindings(read.bindings);
    status.dataset.state = 'unknown';
    setChildren(status, h('p', { class: 'state unknown' }, interpolate(t.workerUnknown, { reason: read.error })));
    return [];
  };

  const setUpControls = (initial: number[]) => {
    const urgent = status.dataset.state === 'missing' || status.dataset.state === 'warn';
    const scope = scopeControl(t, initial, () => portal.selectUsers());
    const result = h('p', { class: 'status', role: 'status', 'data-testid': 'reregister-status' });
    const button = h('button', { type: 'button', class: 'btn btn-light', 'data-testid': 'reregister' }, t.reregister);
    button.addEventListener('click', () => {
      const userIds = scope.read();
      if (userIds === null) return;
      button.disabled = true;
      result.textContent = t.registering;
      result.className = 'status';
      void registerWorker(portal.rest, workerTarget(location.href, userIds))
        .then(async (done) => {
          result.textContent = done.ok ? t.registered : interpolate(t.registerFailed, { reason: done.error });
          result.className = `status ${done.ok ? 'good' : 'bad'}`;
          await refresh();
        })
        .finally(() => (button.disabled = false));
    });
    setChildren(
      controls,
      h(
        'details',
        { open: urgent },
        h('summary', {}, t.registerAgainTitle),
        scope.element,
        h('div', { class: 'actions' }, button, result),
      ),
    );
  };

  if (session.isAdmin) void refresh().then(setUpControls);
  else setChildren(status, h('p', { class: 'hint' }, t.workerAdminOnly));
  void loadNotices(session.domain, session.memberId).then((list) => {
    if (list === null) return;
    setChildren(notices, ...noticeList(list, session.lang, t));
  });

  return h(
    'section',
    { class: 'card worker', 'aria-labelledby': 'worker-title', 'data-testid': 'worker-panel' },
    h('h2', { id: 'worker-title' }, t.workerTitle),
    status,
    controls,
    notices,
  );
}

/**
 * The notices as the panel shows them: the time, the error and its description (as text: they are
 * whatever was posted), each marked unverified unless the server says otherwise, with why.
 */
export function noticeList(list: readonly Notice[], lang: string, t: Texts): (HTMLElement | null)[] {
  if (list.length === 0) return [h('h3', {}, t.noticesTitle), h('p', { class: 'hint' }, t.noticesNone)];
  const item = (n: Notice): HTMLElement =>
    h(
      'li',
      { class: 'bad-text' },
      h('time', { datetime: n.receivedAt }, formatTime(n.receivedAt, lang)),
      ' ',
      n.verified === true
        ? null
        : h('span', { class: 'badge unverified', title: t.noticeUnverifiedHint }, t.noticeUnverified),
      ' ',
      h('code', {}, n.error),
      n.description ? ` ${n.description}` : '',
    );
  const unverified = list.some((n) => n.verified !== true);
  return [
    h('h3', {}, t.noticesTitle),
    h('ul', { class: 'notice-list' }, list.map(item)),
    h('p', { class: 'hint' }, t.noticesHint),
    unverified ? h('p', { class: 'hint' }, t.noticeUnverifiedHint) : null,
  ];
}

/** The server's list of the portal's switch-off notices (GET /placement-error), this portal's only. */
async function loadNotices(domain: string, memberId: string | null): Promise<Notice[] | null> {
  try {
    const query = new URLSearchParams({ member_id: memberId ?? '', domain });
    const response = await fetch(`/placement-error?${query}`, {
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'error',
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { notices?: Notice[] };
    const mine = (n: Notice) =>
      (n.memberId === null || n.memberId === memberId) && (n.domain === null || n.domain === domain);
    return (Array.isArray(body.notices) ? body.notices : []).filter(mine).slice(0, NOTICES_SHOWN);
  } catch {
    return null;
  }
}
