import { parseHoldRelayOption } from '../config/hold-relay-option.ts';
import { entryLabel, issueText } from '../config/issues.ts';
import { EMPTY_CONTEXT } from '../hold/state.ts';
import type { HoldEvent } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import { checkOptions } from '../outputs/check-options.ts';
import type { AnyOutputDefinition, OutputContext, SendOutcome } from '../outputs/types.ts';
import type { OutputPortal } from '../portal/types.ts';
import type { OutputCatalog } from './catalog.ts';

/**
 * "Send test event": one hold.started through every enabled output, each isolated from the others,
 * with what became of it. An output sends it as its definition says: once and outside any queue
 * (webhook), described instead of sent where sending would change the portal (rest), skipped where
 * it needs a live call (callCard), else built, sent and disposed.
 */

export type SampleOutcome = 'delivered' | 'sent' | 'described' | 'failed' | 'skipped';

export interface SampleResult {
  label: string;
  type: string;
  outcome: SampleOutcome;
  /** Key of the explanation in the page's texts (the type's own note, or a generic one), with its values. */
  note: string;
  values: Record<string, string>;
}

export function sampleEvent(portal: OutputPortal, now = Date.now()): HoldEvent {
  const { domain, memberId } = portal.session;
  return {
    id: `evt_test_${now.toString(36)}`,
    type: 'hold.started',
    timestamp: new Date(now).toISOString(),
    data: {
      ...EMPTY_CONTEXT,
      held: true,
      callId: `test-${now}`,
      holdSeq: 1,
      totalHeldMs: 0,
      domain,
      memberId,
      userId: null,
    },
  };
}

export async function sendSampleEvent(
  option: unknown,
  catalog: OutputCatalog,
  portal: OutputPortal,
  log: Logger,
): Promise<SampleResult[]> {
  const event = sampleEvent(portal);
  const parsed = parseHoldRelayOption(option, catalog.types);
  const invalid = parsed.issues.map((issue): SampleResult => ({
    label: issue.index === null ? '' : entryLabel(issue.index, issue.type ?? '?'),
    type: issue.type ?? '',
    outcome: 'failed',
    note: 'invalid',
    values: { message: issueText(issue) },
  }));
  const results = await Promise.all(
    parsed.outputs.map(async (spec): Promise<SampleResult> => {
      const result = (outcome: SampleOutcome, note: string, values: Record<string, string> = {}): SampleResult => ({
        label: spec.label,
        type: spec.type,
        outcome,
        note,
        values,
      });
      const definition = catalog.get(spec.type);
      if (!definition) return result('failed', 'unknownType', { type: spec.type });
      const checked = checkOptions(definition, spec);
      if (!checked.ok) return result('failed', 'invalid', { message: checked.issues.map(issueText).join(' ') });
      try {
        if (definition.describeTest) {
          const described = definition.describeTest(checked.options, event);
          return described ? result('described', spec.type, described) : result('skipped', spec.type);
        }
        const started = performance.now();
        const outcome = await sendOnce(
          definition,
          checked.options,
          { portal, log, label: spec.label, now: Date.now },
          event,
        );
        if (!outcome.ok) return result('failed', 'refused', { reason: outcome.reason });
        const values = {
          ms: String(Math.round(performance.now() - started)),
          ...shownValues(definition, checked.options),
        };
        return result(definition.sendTest ? 'delivered' : 'sent', spec.type, values);
      } catch (error) {
        return result('failed', 'error', { message: error instanceof Error ? error.message : String(error) });
      }
    }),
  );
  return [...results, ...invalid];
}

async function sendOnce(
  definition: AnyOutputDefinition,
  options: unknown,
  context: OutputContext,
  event: HoldEvent,
): Promise<SendOutcome> {
  if (definition.sendTest) return definition.sendTest(options, context, event);
  const output = definition.create(options, context);
  try {
    return (await output.send(event)) ?? { ok: true };
  } finally {
    output.dispose?.();
  }
}

/** The options' text values a note may show (the URL, the channel); never a secret. */
function shownValues(definition: AnyOutputDefinition, options: unknown): Record<string, string> {
  const secret = new Set(definition.fields.filter((field) => field.kind === 'secret').map((field) => field.key));
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
    if (typeof value === 'string' && !secret.has(key)) values[key] = value;
  }
  return values;
}
