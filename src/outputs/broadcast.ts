import * as v from 'valibot';
import { defineOutput } from './types.ts';

export const DEFAULT_CHANNEL = 'b24-hold-relay';

/** `broadcast`: posts each event on a BroadcastChannel that the app's own pages (same origin) listen to. */
export default defineOutput({
  type: 'broadcast',
  title: 'This browser’s app pages',
  description: 'Posts each event to the app’s own pages open in the same browser, such as this one.',
  schema: v.object({
    channel: v.optional(
      v.pipe(v.string('must be a string'), v.regex(/^[\w.:-]{1,64}$/, 'must be 1 to 64 letters, digits or ._:-')),
      DEFAULT_CHANNEL,
    ),
  }),
  fields: [{ key: 'channel', kind: 'text', label: 'Channel name', hint: `Default ${DEFAULT_CHANNEL}.` }],
  broadcasts: ({ channel }) => channel,
  create({ channel: name }) {
    if (typeof BroadcastChannel !== 'function') throw new Error('cannot work: this browser has no BroadcastChannel');
    const channel = new BroadcastChannel(name);
    return {
      send(event) {
        channel.postMessage(event);
      },
      dispose() {
        channel.close();
      },
    };
  },
});
