import type { HoldInput } from '../hold/types.ts';
import type { Operator } from './operator.ts';

/** How long card inputs may wait for the portal to say who the operator is, from the first that waits. */
export const OPERATOR_WAIT_MS = 1000;

export interface OperatorGate {
  input(input: HoldInput, at: number): void;
  /** Passes on at once whatever waits: the frame is going. */
  flush(): void;
}

/**
 * Events carry the operator's user id, which only a REST answer gives. A card input that comes while
 * that answer is on its way (a hold clicked just after the call card opened, or just after the
 * operator moved to another page mid-call) waits for it, in order and with the time it was received,
 * at most `maxWaitMs`; after that the events say `userId: null`, as the contract does for anything unknown.
 */
export function gateOnOperator(
  operator: Operator,
  pass: (input: HoldInput, at: number) => void,
  maxWaitMs = OPERATOR_WAIT_MS,
): OperatorGate {
  const waiting: [HoldInput, number][] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gaveUp = false;

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    waiting.splice(0).forEach(([input, at]) => pass(input, at));
  };

  return {
    input(input, at) {
      operator.request();
      const lookup = operator.lookup();
      if (waiting.length === 0 && (gaveUp || !lookup)) {
        pass(input, at);
        return;
      }
      waiting.push([input, at]);
      if (waiting.length > 1) return;
      timer = setTimeout(() => {
        gaveUp = true;
        flush();
      }, maxWaitMs);
      void lookup?.then(flush);
    },
    flush,
  };
}
