import { confirmWithin, isConfirmed } from '../contract/confirm-schedule.ts';
import { postRequest } from '../delivery/webhook-request.ts';
import type { Output, OutputContext } from './types.ts';
import { prepare, signerFor, type WebhookOptions } from './webhook-options.ts';

/** Carries the hold out: quick retries inside timeoutMs, nothing after it (a late hold is worse than none). */
export function confirmingWebhook(options: WebhookOptions, context: OutputContext): Output {
  const signer = signerFor(options);
  return {
    confirms: true,
    async send(event) {
      if (!isConfirmed(event.type)) return;
      const clock = {
        now: context.now,
        sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      };
      const last = await confirmWithin(context.now() + options.timeoutMs, clock, async (leftMs) => {
        const result = await postRequest(options.url, await prepare(event, options, context, signer), leftMs, false);
        return { decision: result.kind, result };
      });
      const result = last?.result ?? { kind: 'retry', reason: 'no answer' };
      return result.kind === 'delivered' ? { ok: true } : { ok: false, reason: result.reason };
    },
  };
}
