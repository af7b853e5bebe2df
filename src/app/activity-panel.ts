import { parseHoldRelayOption } from '../config/hold-relay-option.ts';
import { openOutbox, receiverId, type OutboxStore } from '../delivery/outbox-store.ts';
import type { HoldEvent } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import { DEFAULT_CHANNEL } from '../outputs/broadcast.ts';
import { checkOptions } from '../outputs/check-options.ts';
import { loadAllDefinitions, outputTypes } from '../outputs/index.ts';
import { setChildren, formatTime, h } from './dom.ts';
import { interpolate, type Texts } from './i18n/index.ts';

/**
 * What this browser saw: events the worker frames broadcast (an output that `broadcasts`), and
 * events still waiting in the outboxes the worker frames share (outputs that are `queued`). Read only: nothing here delivers.
 */

export interface ActivityPanel {
  element: HTMLElement;
  /** The configuration changed: listen on its channels, watch its outboxes. */
  update(option: unknown): void;
}

const MAX_EVENTS = 30;
const QUEUE_POLL_MS = 5000;

/** `portal` (see portalKey) names the outbox to read: the one this portal's worker frames share. */
export function activityPanel(lang: string, t: Texts, log: Logger, option: unknown, portal: string): ActivityPanel {
  const events: HoldEvent[] = [];
  const eventsBox = h('div', { 'data-testid': 'recent-events' });
  const queueBox = h('div', { 'data-testid': 'delivery-queue' });
  let channels: BroadcastChannel[] = [];
  /** The outboxes of the configured outputs that queue: each one's name (its receiver), and how to show it. */
  let queues: { outbox: string; shown: string }[] = [];
  let hasBroadcast = false;
  const store: Promise<OutboxStore> = openOutbox({ ...log, warn: () => undefined }, portal);

  const renderEvents = () => {
    if (events.length === 0) {
      setChildren(eventsBox, h('p', { class: 'hint' }, hasBroadcast ? t.eventsNone : t.eventsNeedBroadcast));
      return;
    }
    setChildren(
      eventsBox,
      h(
        'table',
        { class: 'grid compact' },
        h('caption', { class: 'visually-hidden' }, t.eventsTitle),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t.colTime, t.colEvent, t.colCall, t.colHeld].map((name) => h('th', { scope: 'col' }, name)),
          ),
        ),
        h(
          'tbody',
          {},
          events.map((event) =>
            h(
              'tr',
              { 'data-type': event.type },
              h('td', {}, formatTime(event.timestamp, lang)),
              h(
                'td',
                {},
                h('span', { class: `type ${event.type.replace('.', '-')}` }, t.eventNames[event.type] ?? event.type),
              ),
              h('td', { class: 'mono small' }, event.data.callId ?? '—'),
              h(
                'td',
                {},
                event.data.heldMs === undefined
                  ? event.data.holdSeq
                    ? `#${event.data.holdSeq}`
                    : ''
                  : `${(event.data.heldMs / 1000).toFixed(1)} s`,
              ),
            ),
          ),
        ),
      ),
    );
  };

  const renderQueue = async () => {
    if (queues.length === 0) return setChildren(queueBox, h('p', { class: 'hint' }, t.queueNoWebhooks));
    const opened = await store;
    if (!opened.durable) return setChildren(queueBox, h('p', { class: 'hint' }, t.queueNoStorage));
    const rows = await Promise.all(
      queues.map(async ({ outbox, shown }) => ({
        url: shown,
        pending: await opened.pending(await receiverId(portal, outbox)),
      })),
    );
    setChildren(
      queueBox,
      h(
        'ul',
        { class: 'queue' },
        rows.map(({ url, pending }) => {
          const next = pending.reduce((min, e) => Math.min(min, e.nextAttemptAt), Number.POSITIVE_INFINITY);
          const lastError = pending.find((e) => e.lastError)?.lastError;
          return h(
            'li',
            { 'data-waiting': String(pending.length) },
            h('code', { class: 'url' }, url),
            h(
              'span',
              { class: pending.length === 0 ? 'good-text' : 'warn-text' },
              pending.length === 0 ? t.queueEmpty : interpolate(t.queueWaiting, { n: String(pending.length) }),
            ),
            lastError
              ? h(
                  'span',
                  { class: 'hint block' },
                  interpolate(t.queueLastError, { error: lastError, at: formatTime(next, lang) }),
                )
              : null,
          );
        }),
      ),
    );
  };

  // What each output listens on or queues in, its definition says (loaded with the others for the editor).
  let updates = 0;
  const update = (next: unknown) => {
    const outputs = parseHoldRelayOption(next, outputTypes()).outputs;
    const mine = ++updates;
    void loadAllDefinitions().then((definitions) => {
      if (mine !== updates) return; // a later configuration came meanwhile
      const names = new Set([DEFAULT_CHANNEL]);
      hasBroadcast = false;
      queues = [];
      for (const spec of outputs) {
        const definition = definitions.get(spec.type);
        const checked = definition ? checkOptions(definition, spec) : null;
        if (!definition || !checked?.ok) continue;
        const channel = definition.broadcasts?.(checked.options);
        if (channel !== undefined) {
          hasBroadcast = true;
          names.add(channel);
        }
        const outbox = definition.queued?.(checked.options);
        if (outbox) queues.push({ outbox, shown: URL.canParse(outbox) ? outbox : spec.label });
      }
      channels.forEach((channel) => channel.close());
      channels = typeof BroadcastChannel === 'function' ? [...names].map((name) => listen(name)) : [];
      renderEvents();
      void renderQueue();
    });
  };

  const listen = (name: string) => {
    const channel = new BroadcastChannel(name);
    channel.addEventListener('message', ({ data }: MessageEvent<unknown>) => {
      if (!isHoldEvent(data) || events.some((e) => e.id === data.id)) return;
      events.unshift(data);
      events.length = Math.min(events.length, MAX_EVENTS);
      renderEvents();
    });
    return channel;
  };

  update(option);
  setInterval(() => {
    if (document.visibilityState === 'visible') void renderQueue();
  }, QUEUE_POLL_MS);

  const element = h(
    'section',
    { class: 'card activity', 'aria-labelledby': 'activity-title', 'data-testid': 'activity-panel' },
    h('h2', { id: 'activity-title' }, t.activityTitle),
    h('p', { class: 'hint' }, t.activityLead),
    h('h3', {}, t.eventsTitle),
    eventsBox,
    h('h3', {}, t.queueTitle),
    queueBox,
  );
  return { element, update };
}

function isHoldEvent(value: unknown): value is HoldEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event.id === 'string' &&
    typeof event.type === 'string' &&
    typeof event.timestamp === 'string' &&
    typeof event.data === 'object' &&
    event.data !== null
  );
}
