import * as v from 'valibot';
import { wholeNumber } from '../contract/whole-number.ts';
import type { HoldEvent } from '../hold/types.ts';
import { isRecord } from '../lib/is-record.ts';
import { fillTemplate, findUnknownPlaceholder, templateValues } from './template.ts';
import { defineOutput } from './types.ts';

const MAX_PARAMS_BYTES = 16_384;

const Params = v.pipe(
  v.custom<Record<string, unknown>>(isRecord, 'must be an object'),
  v.check(
    (params) => JSON.stringify(params).length <= MAX_PARAMS_BYTES,
    `must be at most ${MAX_PARAMS_BYTES} bytes of JSON`,
  ),
  v.check(
    (params) => findUnknownPlaceholder(params) === null,
    (issue) => {
      const unknown = findUnknownPlaceholder(issue.input);
      return `names an unknown placeholder {{${unknown?.name ?? '?'}}}${unknown?.path ? ` at ${unknown.path.slice(1)}` : ''}`;
    },
  ),
);

/**
 * `rest`: calls a Bitrix24 REST method with the operator's auth for each event, params filled from
 * `{{placeholder}}` templates, e.g. a CRM timeline comment when a hold ends, or (with `minHeldMs`)
 * a note to a supervisor after a long hold.
 */
export default defineOutput({
  type: 'rest',
  title: 'Bitrix24 REST call',
  description: 'Calls a Bitrix24 REST method per event with the operator’s rights, e.g. a CRM timeline comment.',
  schema: v.object({
    method: v.pipe(
      v.string('must be a string'),
      v.regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i, 'must be a REST method name such as crm.timeline.comment.add'),
    ),
    params: v.optional(Params, {}),
    /** Only holds at least this long: hold.ended by its heldMs, call.summary by its longestHoldMs. */
    minHeldMs: v.optional(wholeNumber(0, Infinity, 'must be 0 or more')),
  }),
  fields: [
    {
      key: 'method',
      kind: 'text',
      label: 'REST method',
      hint: 'e.g. crm.timeline.comment.add; needs the method’s scope (crm, im…).',
    },
    {
      key: 'params',
      kind: 'json',
      label: 'Parameters (JSON)',
      hint: 'Strings may hold placeholders such as {{crmEntityId}} or {{heldSeconds}}.',
    },
    {
      key: 'minHeldMs',
      kind: 'number',
      label: 'Only holds of at least, ms',
      hint: 'Only a hold this long or longer (hold.ended, call.summary); empty for every hold.',
    },
  ],
  // A real call would change data in the portal: the test only shows what would be sent.
  describeTest: ({ method, params }, event) => ({
    method,
    params: JSON.stringify(fillTemplate(params, templateValues(event))),
  }),
  create({ method, params, minHeldMs }, context) {
    return {
      async send(event) {
        if (minHeldMs !== undefined && !heldLongEnough(event, minHeldMs)) return;
        const filled = fillTemplate(params, templateValues(event)) as Record<string, unknown>;
        const answer = await context.portal.rest(method, filled);
        if (answer.ok) return { ok: true };
        return {
          ok: false,
          reason: `${method} failed: ${answer.error}${answer.description ? ` (${answer.description})` : ''}`,
        };
      },
    };
  },
});

function heldLongEnough(event: HoldEvent, minHeldMs: number): boolean {
  const held =
    event.type === 'hold.ended'
      ? event.data.heldMs
      : event.type === 'call.summary'
        ? event.data.longestHoldMs
        : undefined;
  return held !== undefined && held >= minHeldMs;
}
