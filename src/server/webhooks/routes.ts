// Server-side webhooks under /api: the admins' endpoints (`/api/webhooks`: list, create, rotate,
// delete, the delivery log and "send again") and the `server` output's confirm mode (`/api/confirm`).
// No answer ever carries a secret, except the one that created or rotated it.
import { Hono } from 'hono';
import { EventTypeList } from '../../contract/event-type-list.ts';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import { checkBatch } from '../holds/event-schema.ts';
import { ingestInto } from '../holds/ingest.ts';
import { listDeliveries, retryDelivery } from './queue.ts';
import { receiverUrlProblem, refusedLiteralHost } from './receiver-url.ts';
import type { Webhooks } from './service.ts';
import { createWebhook, deleteWebhook, listWebhooks, rotateSecret, webhookExists } from './store.ts';
import { refusesData } from '../holds/ingest-queue.ts';
import { fail, requireUser, type ApiContext, type ApiDeps, type ApiEnv } from '../http/api-context.ts';
import { quotaUsed } from '../holds/events-route.ts';
import { validJson } from '../http/valid-json.ts';
import { wholeNumber } from '../../contract/whole-number.ts';

const SETTINGS_BODY_LIMIT = 8 * 1024;
const CONFIRM_BODY_LIMIT = 16 * 1024;
export const DEFAULT_TIMEOUT_MS = 3000;
export const DEFAULT_MAX_AGE_MS = 24 * 3600_000;
const MAX_LOG_ROWS = 200;
const WEBHOOK_ID = /^wh_[\w-]{1,40}$/;
const DELIVERY_ID = /^\d{1,18}$/;

export const WebhookInput = v.strictObject({
  url: v.pipe(
    v.string('must be a string'),
    v.rawCheck(({ dataset, addIssue }) => {
      const problem = dataset.typed ? receiverUrlProblem(dataset.value) : null;
      if (problem) addIssue({ message: problem });
    }),
  ),
  on: v.optional(EventTypeList, ['hold.started', 'hold.ended']),
  confirm: v.optional(v.boolean('must be true or false'), false),
  timeoutMs: v.optional(wholeNumber(100, 30_000), DEFAULT_TIMEOUT_MS),
  maxAgeMs: v.optional(wholeNumber(60_000, 7 * 24 * 3600_000), DEFAULT_MAX_AGE_MS),
});

/** The event is checked as /api/events checks one (checkBatch), for the same answers and fields. */
export const ConfirmInput = v.object({
  event: v.unknown(),
  timeoutMs: v.optional(wholeNumber(100, 30_000), DEFAULT_TIMEOUT_MS),
});

/** Reading uses the cached admin answer; every change (a new or rotated secret above all) asks the portal at once. */
function requireWebhookAdmin(deps: ApiDeps) {
  return async (c: ApiContext, next: () => Promise<void>) => {
    const verdict = await deps.verifier.isAdmin(c.get('identity'), { fresh: c.req.method !== 'GET' });
    if (!verdict.ok) return fail(c, verdict.status, verdict.error, {}, verdict.retryAfterS);
    if (!verdict.value) return fail(c, 403, 'only a portal administrator may manage webhooks');
    await next();
  };
}

export function webhooksRoutes(deps: ApiDeps, webhooks: Webhooks): Hono<ApiEnv> {
  const { db } = webhooks;
  const app = new Hono<ApiEnv>();
  const limit = bodyLimit({
    maxSize: SETTINGS_BODY_LIMIT,
    onError: (c) => fail(c, 413, `the body is at most ${SETTINGS_BODY_LIMIT / 1024} kB`),
  });
  app.use('*', requireUser(deps), requireWebhookAdmin(deps));
  app.use('/:id/*', async (c, next) =>
    WEBHOOK_ID.test(c.req.param('id') ?? '') ? next() : fail(c, 404, 'no such webhook'),
  );

  app.get('/', async (c) => {
    return c.json({ webhooks: await listWebhooks(db, c.get('identity').portal) });
  });

  app.post('/', limit, validJson(WebhookInput), async (c) => {
    const input = c.req.valid('json');
    const refused = refusedLiteralHost(new URL(input.url), webhooks.allowPrivate);
    if (refused) return fail(c, 400, `url: ${refused}`, { field: 'url' });
    const { portal, userId } = c.get('identity');
    const created = await createWebhook(db, portal, userId, input);
    if (!created.ok) return fail(c, 409, created.error);
    return c.json({ id: created.id, secret: created.secret }, 201);
  });

  app.post('/:id/rotate', async (c) => {
    const rotated = await rotateSecret(db, c.get('identity').portal, c.req.param('id'));
    return rotated ? c.json(rotated) : fail(c, 404, 'no such webhook');
  });

  app.delete('/:id', async (c) => {
    if (!WEBHOOK_ID.test(c.req.param('id'))) return fail(c, 404, 'no such webhook');
    return (await deleteWebhook(db, c.get('identity').portal, c.req.param('id')))
      ? c.json({ deleted: true })
      : fail(c, 404, 'no such webhook');
  });

  app.get('/:id/deliveries', async (c) => {
    const raw = c.req.query('limit') ?? '50';
    const rows = /^\d{1,4}$/.test(raw) ? Number(raw) : 0;
    if (rows < 1 || rows > MAX_LOG_ROWS)
      return fail(c, 400, `limit must be a whole number from 1 to ${MAX_LOG_ROWS}`, { field: 'limit' });
    const { portal } = c.get('identity');
    if (!(await webhookExists(db, portal, c.req.param('id')))) return fail(c, 404, 'no such webhook');
    return c.json({ deliveries: await listDeliveries(db, portal, c.req.param('id'), rows) });
  });

  app.post('/:id/deliveries/:deliveryId/retry', async (c) => {
    const deliveryId = c.req.param('deliveryId');
    if (!DELIVERY_ID.test(deliveryId)) return fail(c, 404, 'no such delivery');
    if (!(await retryDelivery(db, c.get('identity').portal, c.req.param('id'), deliveryId))) {
      return fail(c, 409, 'no such delivery, or it is being sent right now');
    }
    webhooks.wake();
    return c.json({ queued: true }, 202);
  });

  return app;
}

/**
 * `POST /api/confirm` with `{"event": {...}, "timeoutMs": 3000}`: stores the event as /api/events
 * does, queues it for the other webhooks, and sends it to the confirming ones now. Answers
 * `{"ok": true}` or `{"ok": false, "reason": "..."}` within timeoutMs (and the network's time).
 */
export function confirmRoute(deps: ApiDeps, webhooks: Webhooks): Hono<ApiEnv> {
  return new Hono<ApiEnv>().post(
    '/',
    bodyLimit({
      maxSize: CONFIRM_BODY_LIMIT,
      onError: (c) => fail(c, 413, `the body is at most ${CONFIRM_BODY_LIMIT / 1024} kB`),
    }),
    requireUser(deps),
    async (c, next) => {
      const { portal, userId } = c.get('identity');
      const waitMs = deps.ingestLimiter.take(`${portal}\n${userId}`);
      if (waitMs > 0)
        return fail(c, 429, 'too many requests from this user; retry later', {}, Math.ceil(waitMs / 1000));
      await next();
    },
    validJson(ConfirmInput),
    async (c) => {
      const { portal, userId } = c.get('identity');
      const { event, timeoutMs } = c.req.valid('json');
      const quotaWaitMs = deps.stats.ingest.quotaWaitMs(portal);
      if (quotaWaitMs > 0) return quotaUsed(c, quotaWaitMs);
      const batch = checkBatch({ events: [event] }, Date.now());
      if (!batch.ok)
        return batch.tooMany
          ? fail(c, 413, 'one event')
          : fail(c, 400, batch.error.replace(/^events\[0\]/, 'event'), {
              field: batch.field.replace(/^events\[0\]/, 'event'),
            });
      const [checked] = batch.events;
      if (!checked) return fail(c, 400, 'event is required', { field: 'event' });
      try {
        // Storing queues the event for the portal's other webhooks, and sends the live notice when it
        // commits, in the same statement.
        const { queued, used } = await ingestInto(deps.stats.db, [{ sender: { portal, userId }, events: [checked] }]);
        deps.stats.ingest.noteQuota(used);
        if (queued > 0) webhooks.wake();
        const answer = await webhooks.confirm(portal, userId, checked.id, timeoutMs);
        return c.json(
          answer.ok
            ? { ok: true, receivers: answer.receivers }
            : { ok: false, reason: answer.reason, receivers: answer.receivers },
        );
      } catch (error) {
        if (refusesData(error))
          return fail(
            c,
            400,
            `event: the database refused it: ${error instanceof Error ? error.message : String(error)}`,
            { field: 'event' },
          );
        throw error;
      }
    },
  );
}
