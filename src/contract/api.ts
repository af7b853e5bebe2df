/**
 * The answers of the server's API that the app page reads, as schemas with their types inferred:
 * the server's code returns these types and the page reads them, so neither imports the other, and
 * the API reference in docs/ is tested against the schemas (test/unit/docs/api-reference.test.ts).
 * Every object is strict: an answer with a field the schema lacks is not this answer. The page
 * imports the types only, so none of valibot reaches its bundle for them.
 */
import * as v from 'valibot';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const userId = v.pipe(v.number(), v.integer(), v.minValue(1));
const instant = v.pipe(v.string(), v.isoTimestamp());

const FIGURE_ENTRIES = {
  calls: count,
  callsWithHolds: count,
  holds: count,
  heldMs: count,
  avgHeldMs: count,
  longestHeldMs: count,
  endedWithCall: count,
  /** Talk time of the calls whose talk time is known. */
  talkMs: count,
  /** Held time of those same calls over their talk time, 4 decimals; null when no talk time is known. */
  holdShare: v.nullable(v.pipe(v.number(), v.minValue(0))),
  /** Calls whose talk time is unknown: left out of talkMs and holdShare. */
  callsWithoutTalk: count,
  /** Of the ended holds, from histograms (within quantileAccuracy); null when no hold ended. */
  medianHeldMs: v.nullable(v.pipe(v.number(), v.minValue(0))),
  p90HeldMs: v.nullable(v.pipe(v.number(), v.minValue(0))),
};

/** One set of hold figures (`GET /api/report`: the totals, and each operator's). */
export const FiguresSchema = v.strictObject(FIGURE_ENTRIES);
export type Figures = v.InferOutput<typeof FiguresSchema>;

/** One line's figures in `GET /api/report`; `lineNumber` null: the calls whose events named no line. */
export const LineFiguresSchema = v.strictObject({
  lineNumber: v.nullable(v.string()),
  ...v.omit(FiguresSchema, ['callsWithHolds', 'longestHeldMs']).entries,
});
export type LineFigures = v.InferOutput<typeof LineFiguresSchema>;

/** `GET /api/report`. */
export const ReportSchema = v.strictObject({
  period: v.strictObject({ from: instant, to: instant, tz: v.string() }),
  /** The line every figure is narrowed to (`?lineNumber=`), or null for all lines. */
  lineNumber: v.nullable(v.string()),
  /** How far medianHeldMs and p90HeldMs may be from the exact value: the larger of the two. */
  quantileAccuracy: v.strictObject({ absMs: count, relative: v.number() }),
  totals: FiguresSchema,
  operators: v.array(v.strictObject({ ...FIGURE_ENTRIES, userId })),
  lines: v.array(LineFiguresSchema),
  days: v.array(v.strictObject({ date: v.pipe(v.string(), v.isoDate()), holds: count, heldMs: count })),
  /** Per local hour (`YYYY-MM-DDTHH`), only when asked for. */
  hours: v.optional(
    v.array(
      v.strictObject({ hour: v.pipe(v.string(), v.regex(/^\d{4}-\d\d-\d\dT\d\d$/)), holds: count, heldMs: count }),
    ),
  ),
});
export type Report = v.InferOutput<typeof ReportSchema>;

/** One hold of `GET /api/report/holds`. */
export const HoldRowSchema = v.strictObject({
  callId: v.nullable(v.string()),
  userId,
  startedAt: instant,
  endedAt: v.nullable(instant),
  heldMs: v.nullable(count),
  endedBy: v.nullable(v.picklist(['resume', 'hangup', 'close'])),
  phoneNumber: v.nullable(v.string()),
  crmEntityType: v.nullable(v.string()),
  crmEntityId: v.nullable(v.number()),
  lineNumber: v.nullable(v.string()),
  /** When the hold's call was connected, and how long it was talked: null while unknown. */
  answeredAt: v.nullable(instant),
  talkMs: v.nullable(count),
});
export type HoldRow = v.InferOutput<typeof HoldRowSchema>;

/** One running hold of `GET /api/report/live`. */
export const LiveHoldSchema = v.strictObject({ userId, callId: v.nullable(v.string()), since: instant });
export type LiveHold = v.InferOutput<typeof LiveHoldSchema>;

export const DeliveryStatusSchema = v.picklist(['pending', 'delivered', 'failed', 'expired']);
export type DeliveryStatus = v.InferOutput<typeof DeliveryStatusSchema>;

/** One delivery of `GET /api/webhooks/<id>/deliveries`. */
export const DeliveryViewSchema = v.strictObject({
  id: v.string(),
  eventId: v.string(),
  type: v.string(),
  status: DeliveryStatusSchema,
  attempts: count,
  createdAt: instant,
  lastAttemptAt: v.nullable(instant),
  lastStatus: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  /** When the next attempt is due (pending rows only). */
  nextAttemptAt: v.nullable(instant),
  deliveredAt: v.nullable(instant),
  /** The latest attempts, newest first, with the receiver's answers. */
  recent: v.array(
    v.strictObject({
      at: instant,
      status: v.nullable(v.number()),
      error: v.nullable(v.string()),
      answer: v.nullable(v.string()),
      durationMs: count,
    }),
  ),
});
export type DeliveryView = v.InferOutput<typeof DeliveryViewSchema>;

/** A REST call the server made with the app's own token, as the app page lists them. */
export const RestCallRecordSchema = v.strictObject({
  at: instant,
  method: v.string(),
  status: v.number(),
  durationMs: count,
  error: v.nullable(v.string()),
});
export type RestCallRecord = v.InferOutput<typeof RestCallRecordSchema>;

/** The app's own credentials in the portal (`GET /api/portal/status`, beside `configured`). */
const APP_STATUS_ENTRIES = {
  installed: v.boolean(),
  installedAt: v.nullable(instant),
  renewedAt: v.nullable(instant),
  renewalFailed: v.nullable(v.strictObject({ at: instant, error: v.string() })),
  registration: v.strictObject({
    checkedAt: v.nullable(instant),
    outcome: v.nullable(v.string()),
    detail: v.nullable(v.string()),
  }),
  restCalls: v.array(RestCallRecordSchema),
};
export const AppStatusSchema = v.strictObject(APP_STATUS_ENTRIES);
export type AppStatus = v.InferOutput<typeof AppStatusSchema>;

/** `GET /api/portal/status`: without the app's credentials only `configured: false`. */
export const PortalStatusSchema = v.variant('configured', [
  v.strictObject({ configured: v.literal(false) }),
  v.strictObject({ configured: v.literal(true), ...APP_STATUS_ENTRIES }),
]);

/**
 * `GET/PUT /api/settings/alerts`: the shape only; the server's schema (src/server/alerts/alert-settings.ts)
 * adds the bounds and the time-zone check, and must give this type.
 */
export const AlertSettingsShape = v.strictObject({
  /** Seconds a hold may run before supervisors hear of it; null: no alerts. */
  holdAlertSec: v.nullable(v.number()),
  supervisors: v.array(v.number()),
  onHangupWhileHeld: v.boolean(),
  digest: v.nullable(v.strictObject({ hour: v.number(), tz: v.string(), to: v.array(v.number()) })),
});
export type AlertSettings = v.InferOutput<typeof AlertSettingsShape>;
