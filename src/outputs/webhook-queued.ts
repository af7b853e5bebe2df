import { createDeliverer, type Deliverer } from '../delivery/deliverer.ts';
import { createExclusive } from '../delivery/exclusive.ts';
import { openOutbox, receiverId } from '../delivery/outbox-store.ts';
import { handOverOnHide, postRequest, type SignedRequest } from '../delivery/webhook-request.ts';
import type { HoldEvent } from '../hold/types.ts';
import { portalKey } from '../storage/portal-key.ts';
import type { Output, OutputContext } from './types.ts';
import { prepare, signerFor, type WebhookOptions } from './webhook-options.ts';

const REQUEST_TIMEOUT_MS = 10_000;
const MAX_OUTBOX = 1000;

/** Names a webhook's configuration without storing its secret. */
async function sha256(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(value)));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/** The webhook through the durable outbox: every event, retried until delivered or too old. */
export function queuedWebhook(options: WebhookOptions, context: OutputContext): Output {
  const signer = signerFor(options);
  // Without a durable outbox, what is undelivered when the frame goes would be lost: each event's
  // last signed request is kept for a hand-over on page hide.
  const handOver = new Map<string, { request: SignedRequest; occurredAt: number }>();
  const hold = (event: HoldEvent, request: SignedRequest) =>
    void handOver.set(event.id, { request, occurredAt: Date.parse(event.timestamp) });
  const keep = (event: HoldEvent): Promise<void> =>
    prepare(event, options, context, signer).then((request) => hold(event, request));
  let current: Deliverer | null = null;
  const durable = (): boolean => current?.durable() ?? true;
  const portal = portalKey(context.portal.session);
  const delivery = context.delivery ?? { outbox: openOutbox(context.log, portal), exclusive: createExclusive() };
  const config = sha256([options.url, options.secret ?? null, options.includeAuth]);
  const deliverer = Promise.all([delivery.outbox, receiverId(portal, options.url), config]).then(
    ([store, receiver, config]) => {
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
    },
  );
  const { journal } = context;
  // Deliver what an earlier frame left behind: in the outbox, and events saved with the hold state
  // whose frame went before its outbox had them.
  void deliverer.then(async (d) => {
    const recorded = journal?.pending() ?? [];
    const live = recorded.filter((event) => context.now() - Date.parse(event.timestamp) <= options.maxAgeMs);
    if (!d.durable()) await Promise.all(live.map(keep));
    await Promise.all(live.map((event) => d.enqueue(event)));
    journal?.taken(recorded.map((event) => event.id));
    await d.drain();
  });
  return {
    async send(event) {
      const d = await deliverer;
      // Signed up front, so that a hand-over on page hide has every pending event, not just each call's head.
      if (!d.durable()) await keep(event);
      await d.enqueue(event);
      journal?.taken([event.id]);
    },
    dispose() {
      void deliverer.then((d) => d.dispose());
      if (durable()) return;
      const live = [...handOver.values()].filter((kept) => context.now() - kept.occurredAt <= options.maxAgeMs);
      handOverOnHide(
        options.url,
        live.map((kept) => kept.request),
        context.label,
        context.log,
      );
    },
  };
}
