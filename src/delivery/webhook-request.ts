import type { HoldEvent } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import { isRedirect } from '../contract/answers.ts';
import { HEADER_SIGNATURE, standardHeaders } from '../contract/standard-webhooks.ts';
import { answerText, attemptFrom, statusOf, unanswered } from './attempt-answer.ts';
import type { AttemptResult } from './deliverer.ts';
import type { Signer } from './signature.ts';

/** One Standard Webhooks request, signed for one attempt. */
export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
  /** Unix seconds the signature carries. */
  timestamp: number;
}

/** Receivers refuse a webhook-timestamp older than a few minutes: older requests are not handed over. */
const HAND_OVER_MAX_AGE_S = 240;
/** Browsers cap the bodies of keepalive requests in flight at 64 KiB in total. */
const KEEPALIVE_BUDGET_BYTES = 60_000;

/** A receiver's clock this far from the browser's makes a refusal likely to be about the signature's timestamp. */
const CLOCK_SKEW_MS = 2 * 60_000;

/**
 * Receivers refuse a webhook-timestamp more than a few minutes off their clock: when the answer's
 * Date header (readable only if the receiver exposes it to CORS) is minutes away from this browser's
 * clock, the refusal probably comes from there.
 */
function clockNote(date: string | null): string {
  const at = date === null ? Number.NaN : Date.parse(date);
  const skew = Date.now() - at;
  if (Number.isNaN(at) || Math.abs(skew) < CLOCK_SKEW_MS) return '';
  const minutes = Math.round(Math.abs(skew) / 60_000);
  return `; this browser's clock is ${minutes} min ${skew > 0 ? 'ahead of' : 'behind'} the receiver's: a receiver refuses a webhook-timestamp more than 5 minutes off, so check the computer's clock`;
}

/** The event as the body, with `extra` (e.g. the operator's auth) beside it, signed when a signer is given. */
export async function signRequest(
  event: HoldEvent,
  extra: Record<string, unknown> | null,
  signer: Promise<Signer> | null,
): Promise<SignedRequest> {
  const body = JSON.stringify(extra ? { ...event, ...extra } : event);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = standardHeaders(event.id, timestamp);
  if (signer) headers[HEADER_SIGNATURE] = await (await signer)(event.id, timestamp, body);
  return { headers, body, timestamp };
}

/**
 * One attempt; `keepalive` lets it finish even if the frame is destroyed meanwhile. A redirect is
 * never followed, but seen as one (`manual`), so the contract decides it, not a network error.
 */
export async function postRequest(
  url: string,
  request: SignedRequest,
  timeoutMs: number,
  keepalive: boolean,
): Promise<AttemptResult> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('timed out', 'TimeoutError')),
    Math.max(1, timeoutMs),
  );
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      credentials: 'omit',
      redirect: 'manual',
      signal: controller.signal,
      keepalive: keepalive && request.body.length < KEEPALIVE_BUDGET_BYTES / 4,
    });
    // Only the status matters. An unread body keeps its loader and stream alive (about 20 kB of
    // browser memory per request, measured with heap snapshots): let it go at once.
    response.body?.cancel().catch(() => undefined);
    const status = statusOf(response);
    const result = attemptFrom(
      status,
      response.headers.get('retry-after'),
      status === 410 ? 'HTTP 410 Gone' : answerText(status),
    );
    return result.kind === 'refused' && !isRedirect(status)
      ? { ...result, reason: `${result.reason}${clockNote(response.headers.get('date'))}` }
      : result;
  } catch (error) {
    return unanswered(error, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The last resort of a frame without durable storage: its undelivered requests go to the browser
 * with keepalive as the frame closes. They run side by side, so their order is not guaranteed.
 */
export function handOverOnHide(url: string, requests: SignedRequest[], label: string, log: Logger): void {
  const fresh = requests.filter((r) => r.timestamp > Date.now() / 1000 - HAND_OVER_MAX_AGE_S);
  let budget = KEEPALIVE_BUDGET_BYTES;
  let sent = 0;
  for (const request of fresh) {
    budget -= request.body.length;
    if (budget < 0) break;
    sent++;
    fetch(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      credentials: 'omit',
      redirect: 'manual',
      keepalive: true,
    }).catch(() => undefined);
  }
  if (requests.length > 0) {
    log.warn(
      `${label}: the frame is closing with ${requests.length} undelivered event(s) in memory; handed ${sent} to the browser to send once more (keepalive), the rest are lost`,
    );
  }
}
