/**
 * The answers of the server's API that the app page reads, typed once: the server's code returns
 * these types and the page reads them, so neither imports the other. CONTRACT.md (the last section)
 * describes each route.
 */

/** One set of hold figures (`GET /api/report`: the totals, and each operator's). */
export interface Figures {
  calls: number;
  callsWithHolds: number;
  holds: number;
  heldMs: number;
  avgHeldMs: number;
  longestHeldMs: number;
  endedWithCall: number;
  /** Talk time of the calls whose talk time is known. */
  talkMs: number;
  /** Held time of those same calls over their talk time, 4 decimals; null when no talk time is known. */
  holdShare: number | null;
  /** Calls whose talk time is unknown: left out of talkMs and holdShare. */
  callsWithoutTalk: number;
  /** Of the ended holds' lengths; null when no hold ended. Within `quantileAccuracy` of the exact value. */
  medianHeldMs: number | null;
  p90HeldMs: number | null;
}

/** One line's figures (`GET /api/report`'s `lines`). */
export interface LineFigures extends Omit<Figures, 'callsWithHolds' | 'longestHeldMs'> {
  /** Null: the calls whose events named no line. */
  lineNumber: string | null;
}

/** `GET /api/report`. */
export interface Report {
  period: { from: string; to: string; tz: string };
  /** The line every figure is narrowed to (`?lineNumber=`), or null for all lines. */
  lineNumber: string | null;
  /** How far medianHeldMs and p90HeldMs may be from the exact value: the larger of the two. */
  quantileAccuracy: { absMs: number; relative: number };
  totals: Figures;
  operators: (Figures & { userId: number })[];
  /** Every line with calls or holds in the period, the calls without a line last. */
  lines: LineFigures[];
  days: { date: string; holds: number; heldMs: number }[];
  /** Per local hour (`YYYY-MM-DDTHH`), only when asked for. */
  hours?: { hour: string; holds: number; heldMs: number }[];
}

/** One hold of `GET /api/report/holds`. */
export interface HoldRow {
  callId: string | null;
  userId: number;
  startedAt: string;
  endedAt: string | null;
  heldMs: number | null;
  endedBy: 'resume' | 'hangup' | 'close' | null;
  phoneNumber: string | null;
  crmEntityType: string | null;
  crmEntityId: number | null;
  lineNumber: string | null;
  /** When the hold's call was connected, and how long it was talked: null while unknown. */
  answeredAt: string | null;
  talkMs: number | null;
}

/** One running hold of `GET /api/report/live`. */
export interface LiveHold {
  userId: number;
  callId: string | null;
  since: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'expired';

/** One delivery of `GET /api/webhooks/<id>/deliveries`. */
export interface DeliveryView {
  id: string;
  eventId: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  /** When the next attempt is due (pending rows only). */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  /** The latest attempts, newest first, with the receiver's answers. */
  recent: { at: string; status: number | null; error: string | null; answer: string | null; durationMs: number }[];
}

/** A REST call the server made with the app's own token, as the app page lists them. */
export interface RestCallRecord {
  at: string;
  method: string;
  status: number;
  durationMs: number;
  error: string | null;
}

/** The app's own credentials in the portal (`GET /api/portal/status`, beside `configured`). */
export interface AppStatus {
  installed: boolean;
  installedAt: string | null;
  renewedAt: string | null;
  renewalFailed: { at: string; error: string } | null;
  registration: { checkedAt: string | null; outcome: string | null; detail: string | null };
  restCalls: RestCallRecord[];
}

/** `GET/PUT /api/settings/alerts` (the server checks a PUT with its schema, which must give this type). */
export interface AlertSettings {
  /** Seconds a hold may run before supervisors hear of it; null: no alerts. */
  holdAlertSec: number | null;
  supervisors: number[];
  onHangupWhileHeld: boolean;
  digest: { hour: number; tz: string; to: number[] } | null;
}
