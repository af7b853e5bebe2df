import { parseHoldRelayOption } from '../config/hold-relay-option.ts';
import { openOutbox, receiverId, type OutboxStore } from '../delivery/outbox-store.ts';
import type { HoldEvent } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import { DEFAULT_CHANNEL } from '../outputs/broadcast.ts';
import { outputTypes } from '../outputs/index.ts';
import { setChildren, formatTime, h } from './dom.ts';
import { interpolate, type Texts } from './i18n/index.ts';

/**
 * What this browser saw: events the worker frames broadcast (the broadcast output), and webhook
 * events still waiting in the outbox the worker frames share. Read only: nothing here delivers.
 */

export interface ActivityPanel {
  element: HTMLElement;
  /** The configuration changed: listen on its channels, watch its webhooks. */
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
  let webhooks: string[] = [];
  let hasBroadcast = false;
  const store: Promise<OutboxStore> = openOutbox({ ...log, warn: () => undefined }, portal);

  const renderEvents = () => {
    if (events.length === 0) {
      setChildren(eventsBox, h('p', { class: 'hint' }, hasBroadcast ? t.eventsNone : t.eventsNeedBroadcast));
      return;
    }
    setChildren(eventsBox, h('table', { class: 'grid compact' },
      h('caption', { class: 'visually-hidden' }, t.eventsTitle),
      h('thead', {}, h('tr', {}, [t.colTime, t.colEvent, t.colCall, t.colHeld].map((name) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, events.map((event) => h('tr', { 'data-type': event.type },
        h('td', {}, formatTime(event.timestamp, lang)),
        h('td', {}, h('span', { class: `type ${event.type.replace('.', '-')}` }, t.eventNames[event.type] ?? event.type)),
        h('td', { class: 'mono small' }, event.data.callId ?? '—'),
        h('td', {}, event.data.heldMs === undefined ? (event.data.holdSeq ? `#${event.data.holdSeq}` : '') : `${(event.data.heldMs / 1000).toFixed(1)} s`),
      ))),
    ));
  };

  const renderQueue = async () => {
    if (webhooks.length === 0) return setChildren(queueBox, h('p', { class: 'hint' }, t.queueNoWebhooks));
    const opened = await store;
    if (!opened.durable) return setChildren(queueBox, h('p', { class: 'hint' }, t.queueNoStorage));
    const rows = await Promise.all(webhooks.map(async (url) => ({ url, pending: await opened.pending(await receiverId(portal, url)) })));
    setChildren(queueBox, h('ul', { class: 'queue' }, rows.map(({ url, pending }) => {
      const next = pending.reduce((min, e) => Math.min(min, e.nextAttemptAt), Number.POSITIVE_INFINITY);
      const lastError = pending.find((e) => e.lastError)?.lastError;
      return h('li', { 'data-waiting': String(pending.length) },
        h('code', { class: 'url' }, url),
        h('span', { class: pending.length === 0 ? 'good-text' : 'warn-text' }, pending.length === 0 ? t.queueEmpty : interpolate(t.queueWaiting, { n: String(pending.length) })),
        lastError ? h('span', { class: 'hint block' }, interpolate(t.queueLastError, { error: lastError, at: formatTime(next, lang) })) : null,
      );
    })));
  };

  const update = (next: unknown) => {
    const outputs = parseHoldRelayOption(next, outputTypes()).outputs;
    const names = new Set([DEFAULT_CHANNEL]);
    hasBroadcast = false;
    webhooks = [];
    for (const { type, options } of outputs) {
      if (type === 'broadcast') {
        hasBroadcast = true;
        if (typeof options.channel === 'string') names.add(options.channel);
      }
      if (type === 'webhook' && typeof options.url === 'string' && options.confirm !== true) webhooks.push(options.url);
    }
    channels.forEach((channel) => channel.close());
    channels = typeof BroadcastChannel === 'function' ? [...names].map((name) => listen(name)) : [];
    renderEvents();
    void renderQueue();
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

  const element = h('section', { class: 'card activity', 'aria-labelledby': 'activity-title', 'data-testid': 'activity-panel' },
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
  return typeof event.id === 'string' && typeof event.type === 'string' && typeof event.timestamp === 'string' && typeof event.data === 'object' && event.data !== null;
}
