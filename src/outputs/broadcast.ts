import * as v from 'valibot';
import { issueToError, OutputConfigError } from './errors.ts';
import type { Output, OutputFactory } from './types.ts';

/** `broadcast`: posts each event on a BroadcastChannel that the app's own pages (same origin) listen to. */
export const DRIVER_NAME = 'broadcast';
export const DEFAULT_CHANNEL = 'b24-hold-relay';

const BroadcastOptions = v.object({
  channel: v.optional(v.pipe(v.string(), v.regex(/^[\w.:-]{1,64}$/, 'must be 1 to 64 letters, digits or ._:-')), DEFAULT_CHANNEL),
});

const createBroadcastOutput: OutputFactory = (options, { label }): Output => {
  const parsed = v.safeParse(BroadcastOptions, options);
  if (!parsed.success) throw issueToError(label, parsed.issues);
  if (typeof BroadcastChannel !== 'function') {
    throw new OutputConfigError(label, '', 'cannot work: this browser has no BroadcastChannel');
  }
  const channel = new BroadcastChannel(parsed.output.channel);
  return {
    send(event) {
      channel.postMessage(event);
    },
    dispose() {
      channel.close();
    },
  };
};

export default createBroadcastOutput;
