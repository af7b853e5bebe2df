// The holdRelay option a new simulator starts with: every output the product has, pointed at the
// simulator's own receiver, so a newcomer sees a hold reach the card, the log, the app's pages and a
// signed webhook without configuring anything; with `statistics`, the app server's hold record too.
import { HOLD_EVENT_TYPES } from '../hold/types.ts';
import { randomBytes } from 'node:crypto';

export function demoSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function demoOption(sinkUrl: string, secret: string, statistics = false): string {
  return JSON.stringify(
    {
      outputs: [
        { type: 'log', on: [...HOLD_EVENT_TYPES] },
        { type: 'callCard' },
        { type: 'broadcast', on: [...HOLD_EVENT_TYPES] },
        { type: 'webhook', url: sinkUrl, secret, on: [...HOLD_EVENT_TYPES] },
        ...(statistics ? [{ type: 'server' }] : []),
      ],
    },
    null,
    2,
  );
}
