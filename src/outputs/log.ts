import * as v from 'valibot';
import type { HoldEvent } from '../hold/types.ts';
import { defineOutput } from './types.ts';

/** `log`: one line per event in DevTools, with the whole event attached for inspection. */
export default defineOutput({
  type: 'log',
  title: 'Browser console',
  description: 'One line per event in the operator’s browser console (DevTools), prefixed [hold-relay].',
  schema: v.object({}),
  fields: [],
  create: (_options, { log }) => ({
    send(event) {
      log.info(summarize(event), event);
    },
  }),
});

export function summarize(event: HoldEvent): string {
  const { data } = event;
  const parts = [event.type, `call=${data.callId ?? 'unknown'}`];
  if (data.holdSeq !== undefined) parts.push(`hold#${data.holdSeq}`);
  if (data.heldMs !== undefined) parts.push(`held=${(data.heldMs / 1000).toFixed(1)}s`);
  if (data.endedBy !== undefined && data.endedBy !== 'resume') parts.push(`by=${data.endedBy}`);
  if (event.type === 'call.summary') parts.push(`holds=${data.holdCount ?? 0}`);
  parts.push(`total=${(data.totalHeldMs / 1000).toFixed(1)}s`);
  if (data.reason) parts.push(`reason=${data.reason}`);
  return parts.join(' ');
}
