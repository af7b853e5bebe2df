import type { Logger } from '../log/logger.ts';
import type { PortalRest } from '../portal/types.ts';

export interface Operator {
  /** Asks the portal who the operator is, once per frame; later calls do nothing. */
  request(): void;
  /** The operator's user id once the portal answered, else null. */
  userId(): number | null;
  /** Settles when the portal answered (or failed to) the lookup in flight; null when none is in flight. */
  lookup(): Promise<void> | null;
}

/** Looked up only when a call is active, so page views without calls cost the portal nothing. */
export function resolveOperator(portal: PortalRest, log: Logger): Operator {
  let id: number | null = null;
  let inFlight: Promise<void> | null = null;
  let asked = false;
  return {
    request() {
      if (asked) return;
      asked = true;
      inFlight = portal
        .rest('user.current', {})
        .then((answer) => {
          const raw = answer.ok ? (answer.result as { ID?: unknown } | null)?.ID : undefined;
          const parsed = Number(raw);
          if (Number.isSafeInteger(parsed) && parsed > 0) id = parsed;
          else log.warn(`could not learn the operator's user id: ${answer.ok ? 'unexpected answer' : answer.error}`);
        })
        .catch((error: unknown) => log.warn(`could not learn the operator's user id: ${String(error)}`))
        .finally(() => {
          inFlight = null;
        });
    },
    userId: () => id,
    lookup: () => inFlight,
  };
}
