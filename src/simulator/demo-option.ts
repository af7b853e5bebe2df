// The holdRelay option a new simulator starts with: every output the product has, pointed at the
// simulator's own receiver, so a newcomer sees a hold reach the card, the log, the app's pages and a
// signed webhook without configuring anything.
import { randomBytes } from 'node:crypto';

export function demoSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function demoOption(sinkUrl: string, secret: string): string {
  return JSON.stringify(
    {
      outputs: [
        { type: 'log', on: ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'] },
        { type: 'callCard' },
        { type: 'broadcast', on: ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'] },
        { type: 'webhook', url: sinkUrl, secret, on: ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'] },
      ],
    },
    null,
    2,
  );
}
