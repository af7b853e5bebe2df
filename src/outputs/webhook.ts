import type { AttemptResult } from '../delivery/deliverer.ts';
import { postRequest } from '../delivery/webhook-request.ts';
import { defineOutput, type SendOutcome } from './types.ts';
import { confirmingWebhook } from './webhook-confirming.ts';
import { prepare, signerFor, WebhookOptions } from './webhook-options.ts';
import { queuedWebhook } from './webhook-queued.ts';

const TEST_TIMEOUT_MS = 8000;

/**
 * `webhook`: a Standard Webhooks POST per event to the integrator's receiver, through a durable
 * outbox; or, with `confirm`, the request that carries the hold out, tried for at most timeoutMs.
 */
export default defineOutput({
  type: 'webhook',
  title: 'Webhook',
  description: 'A signed POST (Standard Webhooks) per event to your receiver, retried until delivered.',
  schema: WebhookOptions,
  fields: [
    {
      key: 'url',
      kind: 'url',
      label: 'Receiver URL',
      hint: 'https: only (http: only for localhost). The receiver must allow CORS from this app’s address.',
    },
    {
      key: 'secret',
      kind: 'secret',
      label: 'Signing secret',
      hint: 'whsec_ followed by base64, at least 24 bytes. Every portal user can read it: prefer a server-side webhook, whose secret stays on the server.',
    },
    {
      key: 'includeAuth',
      kind: 'boolean',
      label: 'Add the operator’s access token and the portal’s domain to each event',
    },
    {
      key: 'confirm',
      kind: 'boolean',
      label: 'This receiver carries out the hold: set the card back if it fails (confirm)',
    },
    {
      key: 'timeoutMs',
      kind: 'number',
      label: 'Confirm timeout, ms',
      hint: 'With confirm: how long to try; default 3000.',
    },
    {
      key: 'maxAgeMs',
      kind: 'number',
      label: 'Give up after, ms',
      hint: 'Without confirm: retry until the event is this old; default 86400000 (24 h).',
    },
  ],
  queued: (options) => (options.confirm ? null : options.url),
  create: (options, context) =>
    options.confirm ? confirmingWebhook(options, context) : queuedWebhook(options, context),
  async sendTest(options, context, event) {
    const request = await prepare(event, options, context, signerFor(options));
    return outcome(await postRequest(options.url, request, TEST_TIMEOUT_MS, false));
  },
});

const outcome = (result: AttemptResult): SendOutcome =>
  result.kind === 'delivered' ? { ok: true } : { ok: false, reason: result.reason };
