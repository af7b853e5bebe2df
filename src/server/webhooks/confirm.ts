// Confirm mode through the server: a hold change goes to the portal's confirming webhooks now, with
// quick retries until each one's deadline and never after it; the answer says whether every one of
// them carried it out. Each answer is recorded in the webhook's delivery log.
import { confirmWithin } from '../../contract/confirm-schedule.ts';
import type { Queryable } from '../db/index.ts';
import { webhookIdOf } from './delivery-body.ts';
import { confirmedBefore, recordConfirmed, storedEvents, type Outcome } from './queue.ts';
import { webhookHeaders } from './secret.ts';
import { sendWebhook, type SendResult } from './send.ts';
import { confirmTargets, stopWebhook, type WebhookTarget } from './store.ts';

export type Confirmation = { ok: true; receivers: number } | { ok: false; reason: string; receivers: number };

export interface ConfirmOptions {
  /** The longest the caller waits, ms: each webhook gets the smaller of this and its own timeoutMs. */
  timeoutMs: number;
  allowPrivate: boolean;
}

/** Confirms the caller's own stored event: `userId`'s, never another user's of the same id. */
export async function confirmEvent(
  db: Queryable,
  portal: string,
  userId: number,
  eventId: string,
  options: ConfirmOptions,
): Promise<Confirmation> {
  const [event] = await storedEvents(db, portal, userId, [eventId]);
  if (!event) return { ok: false, reason: 'the event was not stored', receivers: 0 };
  const targets = await confirmTargets(db, portal, event.type);
  const messageId = webhookIdOf(portal, userId, event.eventId);
  const answers = await Promise.all(
    targets.map(async (target) => {
      // Another frame of the same operator, or a retry, asked already: the receiver's answer then
      // stands, and nothing is sent again (a hold the card was set back from stays undone).
      const before = await confirmedBefore(db, target.id, userId, event.eventId);
      if (before !== undefined) return before;
      const result = await sendWithin(
        target,
        messageId,
        event.body,
        Math.min(target.timeoutMs, options.timeoutMs),
        options.allowPrivate,
      );
      const outcome: Outcome = {
        status: result.kind === 'delivered' ? 'delivered' : 'failed',
        retryInMs: 0,
        httpStatus: result.status,
        error: result.error,
        answer: result.answer,
        durationMs: result.durationMs,
      };
      await recordConfirmed(db, target.id, event, outcome);
      if (result.kind === 'gone')
        await stopWebhook(db, target.id, `${result.error ?? 'HTTP 410'}: the receiver is gone`);
      return result.kind === 'delivered' ? null : (result.error ?? 'not confirmed');
    }),
  );
  const refused = answers.find((reason) => reason !== null);
  return refused ? { ok: false, reason: refused, receivers: targets.length } : { ok: true, receivers: targets.length };
}

/** Sends one confirm request to one webhook, tried on the contract's confirm schedule until `timeoutMs`. */
export async function sendWithin(
  target: WebhookTarget,
  messageId: string,
  body: string,
  timeoutMs: number,
  allowPrivate: boolean,
): Promise<SendResult> {
  const started = performance.now();
  const clock = {
    now: () => performance.now(),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  };
  const last = await confirmWithin(started + timeoutMs, clock, async (leftMs) => {
    const result = await sendWebhook({
      url: target.url,
      headers: webhookHeaders(target.secrets, messageId, body),
      body,
      timeoutMs: leftMs,
      allowPrivate,
    });
    return { decision: result.kind, result };
  });
  const durationMs = Math.round(performance.now() - started);
  if (last?.result.error?.startsWith('no answer within'))
    return { ...last.result, error: `no answer within ${timeoutMs} ms`, durationMs };
  return last
    ? { ...last.result, durationMs }
    : {
        kind: 'retry',
        status: null,
        error: `no answer within ${timeoutMs} ms`,
        answer: null,
        retryAfterMs: null,
        durationMs,
      };
}
