import * as v from 'valibot';
import { createDeliverer, type AttemptResult } from '../delivery/deliverer.ts';
import { createExclusive, type Exclusive } from '../delivery/exclusive.ts';
import { openOutbox, receiverId, type OutboxStore } from '../delivery/outbox-store.ts';
import { parseRetryAfter } from '../delivery/retry-schedule.ts';
import { createSigner, decodeSecret, type Signer } from '../delivery/signature.ts';
import type { HoldEvent } from '../hold/types.ts';
import { issueToError, OutputConfigError } from './errors.ts';
import type { Output, OutputContext, OutputFactory } from './types.ts';

/**
 * `webhook`: a Standard Webhooks POST per event to the integrator's receiver, through a durable
 * outbox; or, with `confirm`, the request that carries the hold out, tried for at most timeoutMs.
 */
export const DRIVER_NAME = 'webhook';
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const REQUEST_TIMEOUT_MS = 10_000;
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
  secret: v.optional(v.string('must be a string')),
  includeAuth: v.optional(v.boolean('must be true or false'), false),
  confirm: v.optional(v.boolean('must be true or false'), false),
  timeoutMs: v.optional(int(100, 30_000), 3000),
  maxAgeMs: v.optional(int(60_000, 7 * 24 * 3600_000), 24 * 3600_000),
});
type WebhookOptions = v.InferOutput<typeof WebhookOptions>;

/** What frames share: where events wait, and the lock that lets one frame at a time deliver them. */
export interface WebhookShared {
  outbox?: Promise<OutboxStore>;
  exclusive?: Exclusive;
}

/** Validates the options and builds the output over the shared outbox and lock. */
export function createWebhookOutput(options: Record<string, unknown>, context: OutputContext, shared: WebhookShared = {}): Output {
  const parsed = v.safeParse(WebhookOptions, options);
  if (!parsed.success) throw issueToError(context.label, parsed.issues);
  const config = parsed.output;
  let signer: Promise<Signer> | null = null;
  if (config.secret !== undefined) {
    const secret = decodeSecret(config.secret);
    if (!secret.ok) throw new OutputConfigError(context.label, 'secret', secret.reason);
    signer = createSigner(secret.key);
  }
  const post = async (event: HoldEvent, timeoutMs: number) => send(config.url, await prepare(event, config, context, signer), timeoutMs, false);

  if (config.confirm) return confirmOutput(config, context, post);

  const store = shared.outbox ?? openOutbox(context.log);
  // Without a durable outbox, what is undelivered when the frame goes would be lost: each event's
  // last signed request is kept and handed to the browser with keepalive on page hide (a last
  // resort: those requests run side by side, so their order is not guaranteed).
  const handOver = new Map<string, SignedRequest>();
  const receiver = receiverId(config.url);
  let durable = true;
  const deliverer = store.then((opened) => {
    durable = opened.durable;
    return createDeliverer({
      receiver,
      label: context.label,
      store: opened,
      attempt: async (event) => {
        const request = await prepare(event, config, context, signer);
        if (!durable) handOver.set(event.id, request);
        const result = await send(config.url, request, REQUEST_TIMEOUT_MS, !durable);
        if (result.kind !== 'retry') handOver.delete(event.id);
        return result;
      },
      log: context.log,
      maxAgeMs: config.maxAgeMs,
      maxEntries: MAX_OUTBOX,
      exclusive: shared.exclusive ?? createExclusive(),
    });
  });
  // Deliver what an earlier frame left behind.
  void deliverer.then((d) => d.drain());
  return {
    send: async (event) => {
      const d = await deliverer;
      // Signed up front, so that a hand-over on page hide has every pending event, not just each call's head.
      if (!durable) handOver.set(event.id, await prepare(event, config, context, signer));
      await d.enqueue(event);
    },
    dispose: () => {
      void deliverer.then((d) => d.dispose());
      if (!durable) handOverOnHide(config.url, [...handOver.values()], context);
    },
  };
}

interface SignedRequest {
  headers: Record<string, string>;
  body: string;
  /** Unix seconds the signature carries. */
  timestamp: number;
}

/** Receivers refuse a webhook-timestamp older than a few minutes: older requests are not handed over. */
const HAND_OVER_MAX_AGE_S = 240;
/** Browsers cap the bodies of keepalive requests in flight at 64 KiB in total. */
const KEEPALIVE_BUDGET_BYTES = 60_000;

function handOverOnHide(url: string, requests: SignedRequest[], context: OutputContext): void {
  const fresh = requests.filter((r) => r.timestamp > Date.now() / 1000 - HAND_OVER_MAX_AGE_S);
  let budget = KEEPALIVE_BUDGET_BYTES;
  let sent = 0;
  for (const request of fresh) {
    budget -= request.body.length;
    if (budget < 0) break;
    sent++;
    fetch(url, { method: 'POST', headers: request.headers, body: request.body, credentials: 'omit', keepalive: true }).catch(() => undefined);
  }
  if (requests.length > 0) {
    context.log.warn(`${context.label}: the frame is closing with ${requests.length} undelivered event(s) in memory; handed ${sent} to the browser to send once more (keepalive), the rest are lost`);
  }
}

function confirmOutput(config: WebhookOptions, context: OutputContext, post: (event: HoldEvent, timeoutMs: number) => Promise<AttemptResult>): Output {
  return {
    async send(event) {
      if (event.type !== 'hold.started' && event.type !== 'hold.ended') return;
      const deadline = context.now() + config.timeoutMs;
      let reason = 'no answer';
      // Quick retries inside the window; nothing is sent after it: a late hold is worse than none.
      for (let pause = 100; context.now() < deadline; pause *= 2) {
        const result = await post(event, deadline - context.now());
        if (result.kind === 'delivered') return;
        reason = result.reason;
        const left = deadline - context.now();
        if (result.kind === 'gone' || left <= 0) break;
        await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
      }
      context.holdFailed(event, reason);
    },
  };
}

async function prepare(event: HoldEvent, config: WebhookOptions, context: OutputContext, signer: Promise<Signer> | null): Promise<SignedRequest> {
  const auth = config.includeAuth ? { accessToken: await context.portal.operatorToken(), domain: context.portal.session.domain } : undefined;
  const body = JSON.stringify(auth ? { ...event, auth } : event);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'webhook-id': event.id, 'webhook-timestamp': String(timestamp) };
  if (signer) headers['webhook-signature'] = await (await signer)(event.id, timestamp, body);
  return { headers, body, timestamp };
}

/** One attempt; `keepalive` lets it finish even if the frame is destroyed meanwhile. */
async function send(url: string, request: SignedRequest, timeoutMs: number, keepalive: boolean): Promise<AttemptResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), Math.max(1, timeoutMs));
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      credentials: 'omit',
      redirect: 'error',
      signal: controller.signal,
      keepalive: keepalive && request.body.length < KEEPALIVE_BUDGET_BYTES / 4,
    });
    // Only the status matters. An unread body keeps its loader and stream alive (about 20 kB of
    // browser memory per request, measured with heap snapshots): let it go at once.
    response.body?.cancel().catch(() => undefined);
    if (response.ok) return { kind: 'delivered' };
    if (response.status === 410) return { kind: 'gone', reason: 'HTTP 410 Gone' };
    return { kind: 'retry', reason: `HTTP ${response.status}`, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()) };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const reason = name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error (${error instanceof Error ? error.message : String(error)})`;
    return { kind: 'retry', reason, retryAfterMs: null };
  } finally {
    clearTimeout(timer);
  }
}

const factory: OutputFactory = (options, context) => createWebhookOutput(options, context);
export default factory;
