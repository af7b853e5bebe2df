/**
 * Every endpoint of the server's API (under /api) and the schema of its JSON answer: the API
 * reference in docs/ is tested against this table, and the table against the server's routes
 * (test/unit/docs/api-reference.test.ts). `answer: null`: not JSON (the CSV).
 */
import * as v from 'valibot';
import {
  AlertSettingsShape,
  DeliveryViewSchema,
  HoldRowSchema,
  LiveHoldSchema,
  PortalStatusSchema,
  ReportSchema,
} from './api.ts';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const instant = v.pipe(v.string(), v.isoTimestamp());
const webhookId = v.pipe(v.string(), v.regex(/^wh_[\w-]{1,40}$/));
/** `whsec_` and 32 random bytes in base64: shown when made or rotated, never again. */
const secret = v.pipe(v.string(), v.regex(/^whsec_[A-Za-z0-9+/]{43}=$/));

/** Every refusal: what is wrong, and for a bad input the field it is in (`events[3].type`). */
export const ApiErrorSchema = v.strictObject({ error: v.string(), field: v.optional(v.string()) });

/** A server-side webhook as `GET /api/webhooks` lists it (never with its secret). */
export const WebhookViewSchema = v.strictObject({
  id: webhookId,
  url: v.string(),
  on: v.array(v.string()),
  confirm: v.boolean(),
  timeoutMs: count,
  maxAgeMs: count,
  createdAt: instant,
  previousSecretUntil: v.nullable(instant),
  stopped: v.nullable(v.strictObject({ at: instant, reason: v.string() })),
  pending: count,
  maxPending: count,
  capped: v.boolean(),
  notQueued: count,
});

export const API_ROUTES = {
  'GET /api/status': v.strictObject({ stats: v.boolean(), credentials: v.boolean() }),
  'POST /api/events': v.strictObject({ stored: count, duplicates: count }),
  'GET /api/report': ReportSchema,
  'GET /api/report/holds': v.strictObject({ holds: v.array(HoldRowSchema) }),
  'GET /api/report/holds.csv': null,
  'GET /api/report/live': v.strictObject({ holding: v.array(LiveHoldSchema) }),
  'DELETE /api/report/data': v.strictObject({
    deleted: v.strictObject({
      events: count,
      holds: count,
      calls: count,
      placementErrors: count,
      webhookDeliveries: v.optional(count),
    }),
  }),
  'GET /api/webhooks': v.strictObject({ webhooks: v.array(WebhookViewSchema) }),
  'POST /api/webhooks': v.strictObject({ id: webhookId, secret }),
  'POST /api/webhooks/:id/rotate': v.strictObject({ secret, previousSecretUntil: instant }),
  'DELETE /api/webhooks/:id': v.strictObject({ deleted: v.literal(true) }),
  'GET /api/webhooks/:id/deliveries': v.strictObject({ deliveries: v.array(DeliveryViewSchema) }),
  'POST /api/webhooks/:id/deliveries/:deliveryId/retry': v.strictObject({ queued: v.literal(true) }),
  'POST /api/confirm': v.variant('ok', [
    v.strictObject({ ok: v.literal(true), receivers: count }),
    v.strictObject({ ok: v.literal(false), reason: v.string(), receivers: count }),
  ]),
  'POST /api/portal/events': v.strictObject({ status: v.string() }),
  'GET /api/portal/status': PortalStatusSchema,
  'GET /api/settings/alerts': AlertSettingsShape,
  'PUT /api/settings/alerts': AlertSettingsShape,
  'POST /api/settings/alerts/test': v.strictObject({ sentTo: v.array(v.number()), error: v.nullable(v.string()) }),
} as const;

export type ApiRoute = keyof typeof API_ROUTES;
/** The JSON answer of a route, as the page reads it. */
export type ApiAnswer<R extends ApiRoute> = (typeof API_ROUTES)[R] extends v.GenericSchema
  ? v.InferOutput<(typeof API_ROUTES)[R]>
  : never;
export type WebhookView = v.InferOutput<typeof WebhookViewSchema>;
