import type { HoldInput } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import type { WorkerPortal } from '../portal/adapter.ts';
import { isConnectedCall, parseHoldPayload, parseInitializedPayload } from '../portal/payloads.ts';

export const EVENTS = {
  hold: 'BackgroundCallCard::holdButtonClick',
  initialized: 'BackgroundCallCard::initialized',
  hangup: 'BackgroundCallCard::hangupButtonClick',
  close: 'BackgroundCallCard::closeButtonClick',
  answer: 'BackgroundCallCard::answerButtonClick',
} as const;

export type InputSink = (input: HoldInput, receivedAt: number) => void;

/**
 * Subscribes to the call card events the hold state needs and turns each into a state input.
 * A malformed payload is logged and dropped; the subscription stays and the next click counts.
 * The hold click is subscribed first: it is the event the product exists for.
 */
export function subscribeCardEvents(portal: WorkerPortal, sink: InputSink, log: Logger): Promise<void> {
  const guard = (event: string, toInput: (arg: unknown) => HoldInput | string) => (arg: unknown, at?: number) => {
    const receivedAt = at ?? Date.now();
    try {
      const input = toInput(arg);
      if (typeof input === 'string') log.error(`ignored ${event}: ${input}`);
      else sink(input, receivedAt);
    } catch (error) {
      log.error(`failed to handle ${event}`, error);
    }
  };
  const bindings = [
    portal.bind(
      EVENTS.hold,
      guard(EVENTS.hold, (arg) => {
        const held = parseHoldPayload(arg);
        return held.ok ? { kind: 'holdClicked', held: held.value } : held.reason;
      }),
    ),
    portal.bind(
      EVENTS.initialized,
      guard(EVENTS.initialized, (arg) => {
        const context = parseInitializedPayload(arg);
        return context.ok
          ? { kind: 'callInitialized', context: context.value, connected: isConnectedCall(arg) }
          : context.reason;
      }),
    ),
    portal.bind(
      EVENTS.answer,
      guard(EVENTS.answer, () => ({ kind: 'callAnswered' })),
    ),
    portal.bind(
      EVENTS.hangup,
      guard(EVENTS.hangup, () => ({ kind: 'callEnded', reason: 'hangup' })),
    ),
    portal.bind(
      EVENTS.close,
      guard(EVENTS.close, () => ({ kind: 'callEnded', reason: 'close' })),
    ),
  ];
  return Promise.all(bindings).then(() => undefined);
}
