// "On hold now": who is holding a call, with a timer that runs every second, and a hold longer than
// the admin's threshold highlighted. Fed by the server's live stream.
import type { LiveHold } from '../../contract/api.ts';
import type { RestAnswer } from '../../portal/types.ts';
import { h, setChildren } from '../dom.ts';
import { clock } from './format.ts';
import { avatar, nameOf } from './operator-table.ts';
import type { Directory } from './operators.ts';
import type { LiveState } from './report-api.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

/** The application option that keeps the report's settings (the long-hold threshold). */
export const REPORT_OPTION = 'holdReport';
export const DEFAULT_LONG_HOLD_S = 60;

export function readThreshold(raw: unknown): number {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return DEFAULT_LONG_HOLD_S;
    }
  }
  const seconds = (value as { longHoldSeconds?: unknown } | null)?.longHoldSeconds;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 5 && seconds <= 3600
    ? seconds
    : DEFAULT_LONG_HOLD_S;
}

export interface LivePanel {
  element: HTMLElement;
  show(holding: readonly LiveHold[]): void;
  state(state: LiveState): void;
  dispose(): void;
}

interface LiveOptions {
  t: ReportTexts;
  directory: Directory;
  appOptions: Record<string, unknown>;
  rest: (method: string, params?: Record<string, unknown>) => Promise<RestAnswer>;
}

export function livePanel({ t, directory, appOptions, rest }: LiveOptions): LivePanel {
  let threshold = readThreshold(appOptions[REPORT_OPTION]);
  let holding: readonly LiveHold[] = [];
  const list = h('ul', { class: 'live-list', 'data-testid': 'live-list' });
  const status = h('p', { class: 'hint live-status', 'data-testid': 'live-status' }, t.liveConnecting);
  const input = h('input', {
    type: 'number',
    min: 5,
    max: 3600,
    step: 1,
    value: String(threshold),
    id: 'live-threshold',
    'data-testid': 'live-threshold',
    inputmode: 'numeric',
  });
  const saved = h('span', { class: 'hint', role: 'status' });
  const save = async () => {
    const seconds = Number(input.value);
    if (!Number.isInteger(seconds) || seconds < 5 || seconds > 3600) {
      saved.textContent = t.liveThresholdInvalid;
      return;
    }
    threshold = seconds;
    tick();
    const text = JSON.stringify({ longHoldSeconds: seconds });
    const answer = await rest('app.option.set', { options: { [REPORT_OPTION]: text } });
    if (answer.ok) appOptions[REPORT_OPTION] = text;
    saved.textContent = answer.ok
      ? t.liveThresholdSaved
      : interpolate(t.liveThresholdRefused, { reason: answer.description || answer.error });
  };
  const form = h(
    'form',
    { class: 'live-threshold', onsubmit: (event: Event) => (event.preventDefault(), void save()) },
    h('label', { for: 'live-threshold' }, t.liveThreshold),
    h('div', { class: 'inline' }, input, h('button', { type: 'submit', class: 'btn btn-light' }, t.liveThresholdSave)),
    saved,
  );
  const element = h(
    'section',
    { class: 'card live', 'aria-labelledby': 'report-live-title', 'data-testid': 'live-panel' },
    h('h2', { id: 'report-live-title' }, t.liveTitle, h('span', { class: 'live-dot', 'aria-hidden': 'true' })),
    status,
    list,
    form,
  );

  // The timers tick here; the list itself is rebuilt only when who is holding changes.
  const tick = () => {
    const now = Date.now();
    for (const item of list.querySelectorAll<HTMLLIElement>('li[data-since]')) {
      const ms = now - Number(item.dataset.since);
      const timer = item.querySelector('.live-timer');
      if (timer) timer.textContent = clock(ms);
      const long = ms > threshold * 1000;
      item.classList.toggle('long', long);
      item.dataset.long = String(long);
    }
  };
  const render = () => {
    const people = new Map(holding.map((hold) => [hold.userId, directory.get(hold.userId)] as const));
    setChildren(
      list,
      holding.length === 0
        ? h('li', { class: 'hint live-none' }, t.liveNone)
        : holding.map((hold) => {
            const name = nameOf(people.get(hold.userId), hold.userId);
            return h(
              'li',
              { 'data-testid': 'live-hold', 'data-user-id': hold.userId, 'data-since': Date.parse(hold.since) },
              avatar(people.get(hold.userId), name),
              h('span', { class: 'person-name' }, name),
              h('span', { class: 'visually-hidden' }, interpolate(t.liveSince, { time: '' })),
              h('span', { class: 'live-timer', role: 'timer' }),
              h('span', { class: 'badge long-badge' }, t.liveLong),
            );
          }),
    );
    tick();
  };
  const timer = setInterval(tick, 1000);

  return {
    element,
    show(next) {
      holding = next;
      render();
      const unknown = next.map((hold) => hold.userId).filter((id) => !directory.get(id));
      if (unknown.length > 0) void directory.load(unknown).then(render);
    },
    state(state) {
      element.dataset.state = state;
      status.textContent = state === 'connecting' ? t.liveConnecting : state === 'down' ? t.liveDown : '';
      status.hidden = state === 'live';
    },
    dispose: () => clearInterval(timer),
  };
}
