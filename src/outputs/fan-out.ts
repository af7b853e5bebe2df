import type { HoldEvent } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import type { ConfiguredOutput, SendOutcome } from './types.ts';

/** A confirming output answered that it could not carry `event` out. */
export type Refusal = (event: HoldEvent, reason: string, by: ConfiguredOutput) => void;

/**
 * Hands one event to every output that listens for its type. Outputs are isolated: one that throws,
 * rejects or answers a failure is logged and neither stops nor delays the others. A failure answered
 * by a confirming output goes to `refused`: the caller decides what undoing it means.
 */
export function fanOut(outputs: readonly ConfiguredOutput[], event: HoldEvent, log: Logger, refused: Refusal): void {
  for (const configured of outputs) {
    if (!configured.on.has(event.type)) continue;
    const { label, output } = configured;
    const fail = (error: unknown): void => log.error(`${label} failed on ${event.type} ${event.id}`, error);
    const answered = (outcome: SendOutcome | undefined): void => {
      if (!outcome || outcome.ok) return;
      if (output.confirms) refused(event, outcome.reason, configured);
      else log.error(`${label} could not act on ${event.type} ${event.id}: ${outcome.reason}`);
    };
    try {
      const result = output.send(event);
      if (result instanceof Promise) result.then(answered, fail);
      else answered(result);
    } catch (error) {
      fail(error);
    }
  }
}
