import * as v from 'valibot';
import { issueToError, OutputConfigError } from './errors.ts';
import { fillTemplate, findUnknownPlaceholder, templateValues } from './template.ts';
import type { HoldEvent } from '../hold/types.ts';
import type { Output, OutputFactory } from './types.ts';

/**
 * `rest`: calls a Bitrix24 REST method with the operator's auth for each event, params filled from
 * `{{placeholder}}` templates, e.g. a CRM timeline comment when a hold ends, or (with `minHeldMs`)
 * a note to a supervisor after a long hold.
 */
export const DRIVER_NAME = 'rest';
const MAX_PARAMS_BYTES = 16_384;

const RestOptions = v.object({
  method: v.pipe(v.string('must be a string'), v.regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i, 'must be a REST method name such as crm.timeline.comment.add')),
  params: v.optional(
    v.custom<Record<string, unknown>>((p) => typeof p === 'object' && p !== null && !Array.isArray(p), 'must be an object'),
    {},
  ),
  /** Only holds at least this long: hold.ended by its heldMs, call.summary by its longestHoldMs. */
  minHeldMs: v.optional(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(0, 'must be 0 or more'))),
});

const createRestOutput: OutputFactory = (options, context): Output => {
  const parsed = v.safeParse(RestOptions, options);
  if (!parsed.success) throw issueToError(context.label, parsed.issues);
  const { method, params, minHeldMs } = parsed.output;
  if (JSON.stringify(params).length > MAX_PARAMS_BYTES) {
    throw new OutputConfigError(context.label, 'params', `must be at most ${MAX_PARAMS_BYTES} bytes of JSON`);
  }
  const unknown = findUnknownPlaceholder(params, 'params');
  if (unknown) throw new OutputConfigError(context.label, unknown.path, `names an unknown placeholder {{${unknown.name}}}`);
  return {
    async send(event) {
      if (minHeldMs !== undefined && !(heldLongEnough(event, minHeldMs))) return;
      const filled = fillTemplate(params, templateValues(event)) as Record<string, unknown>;
      const answer = await context.portal.rest(method, filled);
      if (!answer.ok) {
        context.log.error(`${context.label}: ${method} failed for ${event.type} ${event.id}: ${answer.error}${answer.description ? ` (${answer.description})` : ''}`);
      }
    },
  };
};

function heldLongEnough(event: HoldEvent, minHeldMs: number): boolean {
  const held = event.type === 'hold.ended' ? event.data.heldMs : event.type === 'call.summary' ? event.data.longestHoldMs : undefined;
  return held !== undefined && held >= minHeldMs;
}

export default createRestOutput;
