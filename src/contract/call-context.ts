// The call's context in an event, field by field, apart from the rest of the event's schema
// (event.ts): the worker's stored state needs only its shape, not the server's strictness.
import * as v from 'valibot';
import { CONTEXT_TEXT_LIMITS as LIMITS } from './limits.ts';

/** The context's fields, each text field checked by `text(its bound)`, each CRM id by `id`. */
export function callContextEntries<T extends v.GenericSchema, I extends v.GenericSchema>(
  text: (max: number) => T,
  id: I,
) {
  return {
    callId: text(LIMITS.callId),
    phoneNumber: text(LIMITS.phoneNumber),
    lineNumber: text(LIMITS.lineNumber),
    direction: text(LIMITS.direction),
    crmEntityType: text(LIMITS.crmEntityType),
    crmEntityId: id,
    crmActivityId: id,
  };
}

/**
 * What the call card told the worker about the call, as the worker keeps it: the card's texts were
 * trimmed to their bounds when read (src/portal/payloads.ts), so the shape is all it checks.
 */
export const CallContextSchema = v.object(
  callContextEntries(() => v.nullable(v.string()), v.nullable(v.pipe(v.number(), v.integer()))),
);

export type CallContext = v.InferOutput<typeof CallContextSchema>;
