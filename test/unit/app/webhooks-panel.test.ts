// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { ServerWebhook, WebhooksApi } from '../../../src/app/webhooks/api.ts';
import { serverWebhooksPanel } from '../../../src/app/webhooks/panel.ts';
import { recordingAppPortal } from '../../support/recording-app-portal.ts';

const webhook = (id: string, queue: Pick<ServerWebhook, 'pending' | 'capped' | 'notQueued'>): ServerWebhook => ({
  id,
  url: `https://pbx.example.com/${id}`,
  on: ['hold.started'],
  confirm: false,
  timeoutMs: 3000,
  maxAgeMs: 86_400_000,
  createdAt: '2026-11-20T08:00:00.000Z',
  previousSecretUntil: null,
  stopped: null,
  maxPending: 10_000,
  ...queue,
});

function listing(webhooks: ServerWebhook[]): WebhooksApi {
  const refuse = async () => ({ ok: false as const, status: 500, error: 'not in this test' });
  return {
    available: async () => ({ ok: true, value: { stats: true } }),
    list: async () => ({ ok: true, value: { webhooks } }),
    create: refuse,
    rotate: refuse,
    remove: refuse,
    deliveries: refuse,
    retry: refuse,
  };
}

async function mount(lang: string, webhooks: ServerWebhook[]): Promise<HTMLElement> {
  const panel = serverWebhooksPanel(recordingAppPortal({ lang }), listing(webhooks));
  document.body.replaceChildren(panel);
  await expect.poll(() => panel.querySelectorAll('[data-testid="server-webhook"]').length).toBe(webhooks.length);
  return panel;
}

const text = (panel: HTMLElement, id: string, testId: string) =>
  panel.querySelector(`[data-id="${id}"] [data-testid="${testId}"]`)?.textContent ?? null;

describe('the server-side webhooks panel', () => {
  it("says when a webhook's queue is full and new events are not queued, and how many wait otherwise", async () => {
    const panel = await mount('en', [
      webhook('wh_full', { pending: 10_000, capped: true, notQueued: 250 }),
      webhook('wh_busy', { pending: 12, capped: false, notQueued: 0 }),
      webhook('wh_idle', { pending: 0, capped: false, notQueued: 0 }),
    ]);
    expect(text(panel, 'wh_full', 'webhook-capped')).toBe(
      'The queue is full: 10000 deliveries wait, at most 10000. New events are not queued for this receiver until it takes some (250 not queued so far).',
    );
    expect(text(panel, 'wh_full', 'webhook-pending')).toBeNull();
    expect(text(panel, 'wh_busy', 'webhook-pending')).toBe('12 deliveries waiting to be sent.');
    expect(text(panel, 'wh_busy', 'webhook-capped')).toBeNull();
    expect(text(panel, 'wh_idle', 'webhook-pending')).toBeNull();
  });

  it.each([
    ['ru', 'Очередь заполнена'],
    ['de', 'Die Warteschlange ist voll'],
  ])('says it in %s too', async (lang, start) => {
    const panel = await mount(lang, [webhook('wh_full', { pending: 5, capped: true, notQueued: 1 })]);
    expect(text(panel, 'wh_full', 'webhook-capped')).toMatch(new RegExp(`^${start}.*5.*10000.*1\\)\\.$`));
  });
});
