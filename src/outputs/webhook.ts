import * as v from 'valibot';
import { confirmWithin } from '../contract/confirm-schedule.ts';
import { createDeliverer, type AttemptResult, type Deliverer } from '../delivery/deliverer.ts';
import { createExclusive } from '../delivery/exclusive.ts';
import { openOutbox, receiverId } from '../delivery/outbox-store.ts';
import { createSigner, decodeSecret, type Signer } from '../delivery/signature.ts';
import { handOverOnHide, postRequest, signRequest, type SignedRequest } from '../delivery/webhook-request.ts';
import type { HoldEvent } from '../hold/types.ts';
import { portalKey } from '../storage/portal-key.ts';
import { defineOutput, type Output, type OutputContext, type SendOutcome } from './types.ts';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const REQUEST_TIMEOUT_MS = 10_000;
const TEST_TIMEOUT_MS = 8000;
const MAX_OUTBOX = 1000;

export function isAllowedReceiverUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
}

const int = (min: number, max: number) =>
  v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(min, `must be at least ${min}`), v.maxValue(max, `must be at most ${max}`));

const WebhookOptions = v.object({
  url: v.pipe(v.string('must be a string'), v.check(isAllowedReceiverUrl, 'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])')),
  secret: v.optional(v.pipe(v.string('must be a string'), v.check((s) => decodeSecret(s).ok, (issue) => {
    const decoded = decodeSecret(String(issue.input));
    return decoded.ok ? 'is invalid' : decoded.reason;
  }))),
  includeAuth: v.optional(v.boolean('must be true or false'), false),
  confirm: v.optional(v.boolean('must be true or false'), false),
  timeoutMs: v.optional(int(100, 30_000), 3000),
  maxAgeMs: v.optional(int(60_000, 7 * 24 * 3600_000), 24 * 3600_000),
});
type WebhookOptions = v.InferOutput<typeof WebhookOptions>;

/**
 * `webhook`: a Standard Webhooks POST per event to the integrator's receiver, through a durable
 * outbox; or, with `confirm`, the request that carries the hold out, tried for at most timeoutMs.
 */
export default defineOutput({
  type: 'webhook',
  title: 'Webhook',
  description: 'A signed POST (Standard Webhooks) per event to your receiver, retried until delivered.',
  schema: WebhookOptions,
  fields: [
    { key: 'url', kind: 'url', label: 'Receiver URL', hint: 'https: only (http: only for localhost). The receiver must allow CORS from this app’s address.' },
    { key: 'secret', kind: 'secret', label: 'Signing secret', hint: 'whsec_ followed by base64, at least 24 bytes. Every portal user can read it: prefer a server-side webhook, whose secret stays on the server.' },
    { key: 'includeAuth', kind: 'boolean', label: 'Add the operator’s access token and the portal’s domain to each event' },
    { key: 'confirm', kind: 'boolean', label: 'This receiver carries out the hold: set the card back if it fails (confirm)' },
    { key: 'timeoutMs', kind: 'number', label: 'Confirm timeout, ms', hint: 'With confirm: how long to try; default 3000.' },
    { key: 'maxAgeMs', kind: 'number', label: 'Give up after, ms', hint: 'Without confirm: retry until the event is this old; default 86400000 (24 h).' },
  ],
  create: (options, context) => (options.confirm ? confirmingWebhook(options, context) : queuedWebhook(options, context)),
  async sendTest(options, context, event) {
    const request = await prepare(event, options, context, signerFor(options));
    return outcome(await postRequest(options.url, request, TEST_TIMEOUT_MS, false));
  },
});

function signerFor(options: WebhookOptions): Promise<Signer> | null {
  const secret = options.secret === undefined ? null : decodeSecret(options.secret);
  return secret?.ok ? createSigner(secret.key) : null;
}

function prepare(event: HoldEvent, options: WebhookOptions, context: OutputContext, signer: Promise<Signer> | null): Promise<SignedRequest> {
  if (!options.includeAuth) return signRequest(event, null, signer);
  return context.portal.operatorToken().then((accessToken) => signRequest(event, { auth: { accessToken, domain: context.portal.session.domain } }, signer));
}

/** Names a webhook's configuration without storing its secret. */
async function sha256(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(value)));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

const outcome = (result: AttemptResult): SendOutcome => (result.kind === 'delivered' ? { ok: true } : { ok: false, reason: result.reason });

function queuedWebhook(options: WebhookOptions, context: OutputContext): Output {
  const signer = signerFor(options);
  // Without a durable outbox, what is undelivered when the frame goes would be lost: each event's
  // last signed request is kept for a hand-over on page hide.
  const handOver = new Map<string, { request: SignedRequest; occurredAt: number }>();
  const hold = (event: HoldEvent, request: SignedRequest) => void handOver.set(event.id, { request, occurredAt: Date.parse(event.timestamp) });
  const keep = (event: HoldEvent): Promise<void> => prepare(event, options, context, signer).then((request) => hold(event, request));
  let current: Deliverer | null = null;
  const durable = (): boolean => current?.durable() ?? true;
  const portal = portalKey(context.portal.session);
  const delivery = context.delivery ?? { outbox: openOutbox(context.log, portal), exclusive: createExclusive() };
  const config = sha256([options.url, options.secret ?? null, options.includeAuth]);
  const deliverer = Promise.all([delivery.outbox, receiverId(portal, options.url), config]).then(([store, receiver, config]) => {
    current = createDeliverer({
      receiver,
      config,
      label: context.label,
      store,
      attempt: async (event) => {
        const request = await prepare(event, options, context, signer);
        const inMemory = !durable();
        if (inMemory) hold(event, request);
        const result = await postRequest(options.url, request, REQUEST_TIMEOUT_MS, inMemory);
        if (result.kind === 'delivered' || result.kind === 'gone') handOver.delete(event.id);
        return result;
      },
      onDropped: (ids) => ids.forEach((id) => handOver.delete(id)),
      // Saving kept failing: these now live in memory, and need their hand-over too.
      onMemory: (events) => events.forEach((event) => void keep(event)),
      log: context.log,
      maxAgeMs: options.maxAgeMs,
      maxEntries: MAX_OUTBOX,
      exclusive: delivery.exclusive,
    });
    return current;
  });
  const { journal } = context;
  // Deliver what an earlier frame left behind: in the outbox, and events saved with the hold state
  // whose frame went before its outbox had them.
  void deliverer.then(async (d) => {
    const recorded = journal?.pending(options.url) ?? [];
    const live = recorded.filter((event) => context.now() - Date.parse(event.timestamp) <= options.maxAgeMs);
    if (!d.durable()) await Promise.all(live.map(keep));
    await Promise.all(live.map((event) => d.enqueue(event)));
    journal?.taken(options.url, recorded.map((event) => event.id));
    await d.drain();
  });
  return {
    async send(event) {
      const d = await deliverer;
      // Signed up front, so that a hand-over on page hide has every pending event, not just each call's head.
      if (!d.durable()) await keep(event);
      await d.enqueue(event);
      journal?.taken(options.url, [event.id]);
    },
    dispose() {
      void deliverer.then((d) => d.dispose());
      if (durable()) return;
      const live = [...handOver.values()].filter((kept) => context.now() - kept.occurredAt <= options.maxAgeMs);
      handOverOnHide(options.url, live.map((kept) => kept.request), context.label, context.log);
    },
  };
}

/** Carries the hold out: quick retries inside timeoutMs, nothing after it (a late hold is worse than none). */
function confirmingWebhook(options: WebhookOptions, context: OutputContext): Output {
  const signer = signerFor(options);
  return {
    confirms: true,
    async send(event) {
      if (event.type !== 'hold.started' && event.type !== 'hold.ended') return;
      const clock = { now: context.now, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
      const last = await confirmWithin(context.now() + options.timeoutMs, clock, async (leftMs) => {
        const result = await postRequest(options.url, await prepare(event, options, context, signer), leftMs, false);
        return { decision: result.kind, result };
      });
      const result = last?.result ?? { kind: 'retry', reason: 'no answer' };
      return result.kind === 'delivered' ? { ok: true } : { ok: false, reason: result.reason };
    },
  };
}
