// The webhook output's options and how each of its requests is made: shared by its queued and its
// confirming form (webhook-queued.ts, webhook-confirming.ts).
import * as v from 'valibot';
import { createSigner, decodeSecret, type Signer } from '../delivery/signature.ts';
import { signRequest, type SignedRequest } from '../delivery/webhook-request.ts';
import type { HoldEvent } from '../hold/types.ts';
import type { OutputContext } from './types.ts';
import { wholeNumber } from '../contract/whole-number.ts';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isAllowedReceiverUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
}

export const WebhookOptions = v.object({
  url: v.pipe(
    v.string('must be a string'),
    v.check(isAllowedReceiverUrl, 'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])'),
  ),
  secret: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.check(
        (s) => decodeSecret(s).ok,
        (issue) => {
          const decoded = decodeSecret(String(issue.input));
          return decoded.ok ? 'is invalid' : decoded.reason;
        },
      ),
    ),
  ),
  includeAuth: v.optional(v.boolean('must be true or false'), false),
  confirm: v.optional(v.boolean('must be true or false'), false),
  timeoutMs: v.optional(wholeNumber(100, 30_000), 3000),
  maxAgeMs: v.optional(wholeNumber(60_000, 7 * 24 * 3600_000), 24 * 3600_000),
});
export type WebhookOptions = v.InferOutput<typeof WebhookOptions>;

/** Signs with the options' secret, or not at all without one. */
export function signerFor(options: WebhookOptions): Promise<Signer> | null {
  const secret = options.secret === undefined ? null : decodeSecret(options.secret);
  return secret?.ok ? createSigner(secret.key) : null;
}

/** The event signed for one attempt, with the operator's auth beside it when the options ask. */
export function prepare(
  event: HoldEvent,
  options: WebhookOptions,
  context: OutputContext,
  signer: Promise<Signer> | null,
): Promise<SignedRequest> {
  if (!options.includeAuth) return signRequest(event, null, signer);
  return context.portal
    .operatorToken()
    .then((accessToken) =>
      signRequest(event, { auth: { accessToken, domain: context.portal.session.domain } }, signer),
    );
}
