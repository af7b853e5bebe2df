import * as v from 'valibot';
import { isConfirmed } from '../contract/confirm-schedule.ts';
import { wholeNumber } from '../contract/whole-number.ts';
import { createDeliverer } from '../delivery/deliverer.ts';
import { createExclusive } from '../delivery/exclusive.ts';
import { openOutbox, receiverId } from '../delivery/outbox-store.ts';
import { postEvents } from '../delivery/server-request.ts';
import { HOLD_EVENT_TYPES, type HoldEvent } from '../hold/types.ts';
import { portalKey } from '../storage/portal-key.ts';
import { confirmThroughServer } from './server-confirm.ts';
import { defineOutput, type OutputContext } from './types.ts';

const REQUEST_TIMEOUT_MS = 10_000;
/** The outbox the server output's events wait in: one app server per portal, whatever its address. */
const APP_SERVER_OUTBOX = 'app-server:';
const MAX_OUTBOX = 5000;
/** The server takes at most 100 events a request; small batches keep each request quick. */
const BATCH_SIZE = 20;

/**
 * `server`: every event to the app's own server, the portal's hold record (`POST /api/events` on the
 * worker's own origin), through the same durable outbox as the webhook, in small batches. The
 * operator's token goes with it; the server checks it with the portal and takes the user from the
 * portal's answer.
 */
export default defineOutput({
  type: 'server',
  title: 'Hold statistics on the app’s server',
  description:
    'Records every hold on this app’s server, for the hold report; the server checks each operator with Bitrix24.',
  schema: v.object({
    maxAgeMs: v.optional(wholeNumber(60_000, 7 * 24 * 3600_000), 7 * 24 * 3600_000),
    confirm: v.optional(v.boolean('must be true or false'), false),
    timeoutMs: v.optional(wholeNumber(100, 30_000), 3000),
  }),
  fields: [
    {
      key: 'maxAgeMs',
      kind: 'number',
      label: 'Give up after, ms',
      hint: 'Retry until the event is this old; default 604800000 (7 days).',
    },
    {
      key: 'confirm',
      kind: 'boolean',
      label: 'The server’s confirming webhooks carry out the hold: set the card back if they fail (confirm)',
    },
    {
      key: 'timeoutMs',
      kind: 'number',
      label: 'Confirm timeout, ms',
      hint: 'With confirm: how long to wait for the server’s webhooks; default 3000.',
    },
  ],
  defaultOn: HOLD_EVENT_TYPES,
  queued: () => APP_SERVER_OUTBOX,
  // A test event would count in the statistics: the app page says so instead of sending one.
  describeTest: () => null,
  create({ maxAgeMs, confirm, timeoutMs }, context) {
    const url = new URL('api/events', location.href).href;
    const confirmUrl = new URL('api/confirm', location.href).href;
    const portal = portalKey(context.portal.session);
    const delivery = context.delivery ?? { outbox: openOutbox(context.log, portal), exclusive: createExclusive() };
    const deliverer = Promise.all([delivery.outbox, receiverId(portal, APP_SERVER_OUTBOX)]).then(([store, receiver]) =>
      createDeliverer({
        receiver,
        label: context.label,
        store,
        attemptBatch: (events) => send(url, events, context),
        batchSize: BATCH_SIZE,
        log: context.log,
        maxAgeMs,
        maxEntries: MAX_OUTBOX,
        exclusive: delivery.exclusive,
      }),
    );
    const { journal } = context;
    // Send what an earlier frame left behind: in the outbox, and events saved with the hold state
    // whose frame went before this output's code had them.
    void deliverer.then(async (d) => {
      const recorded = journal?.pending() ?? [];
      const live = recorded.filter((event) => context.now() - Date.parse(event.timestamp) <= maxAgeMs);
      await Promise.all(live.map((event) => d.enqueue(event)));
      journal?.taken(recorded.map((event) => event.id));
      await d.drain();
    });
    return {
      ...(confirm ? { confirms: true } : {}),
      async send(event) {
        const outcome =
          confirm && isConfirmed(event.type)
            ? await confirmThroughServer(confirmUrl, event, timeoutMs, context)
            : undefined;
        // Queued as well: the statistics get it even when the confirm request never reached the server.
        await (await deliverer).enqueue(event);
        journal?.taken([event.id]);
        return outcome;
      },
      dispose() {
        void deliverer.then((d) => d.dispose());
      },
    };
  },
});

/** Sends with the operator's token; once more with a renewed one when the server says the portal refused it. */
async function send(url: string, events: readonly HoldEvent[], context: OutputContext) {
  const domain = context.portal.session.domain;
  const first = await postEvents(
    url,
    events,
    { token: await context.portal.operatorToken(), domain },
    REQUEST_TIMEOUT_MS,
  );
  if (first.kind !== 'retry' || first.status !== 401) return first;
  return postEvents(
    url,
    events,
    { token: await context.portal.operatorToken({ renew: true }), domain },
    REQUEST_TIMEOUT_MS,
  );
}
