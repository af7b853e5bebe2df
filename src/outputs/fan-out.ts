import type { HoldEvent } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import type { ConfiguredOutput } from './types.ts';

/**
 * Hands one event to every output that listens for its type. Outputs are isolated: one that throws
 * or rejects is logged and neither stops nor delays the others.
 */
export function fanOut(outputs: readonly ConfiguredOutput[], event: HoldEvent, log: Logger): void {
  for (const { label, on, output } of outputs) {
    if (!on.has(event.type)) continue;
    const fail = (error: unknown): void => log.error(`${label} failed on ${event.type} ${event.id}`, error);
    try {
      const pending = output.send(event);
      if (pending) pending.catch(fail);
    } catch (error) {
      fail(error);
    }
  }
}
