import type { HoldEvent, HoldInput, PortalIdentity } from '../hold/types.ts';
import type { FrameClaims } from '../delivery/frame-claims.ts';
import type { Logger } from '../log/logger.ts';
import { fanOut } from '../outputs/fan-out.ts';
import type { ConfiguredOutput } from '../outputs/types.ts';
import type { CallCardPort } from '../portal/types.ts';
import type { HoldTracker } from './hold-tracker.ts';
import type { Operator } from './operator.ts';

export interface Pipeline {
  /** One card input: state transition, then every resulting event to the outputs. */
  input(input: HoldInput, at: number): void;
  /** A confirm output could not carry `event` out: undo it, set the card back, tell everyone. */
  holdFailed(event: HoldEvent, reason: string): void;
}

export function createPipeline(deps: {
  tracker: HoldTracker;
  outputs: () => readonly ConfiguredOutput[];
  identity: PortalIdentity;
  operator: Operator;
  card: CallCardPort;
  log: Logger;
  /** Set where frames share no storage: which of them acts on an event. */
  claims?: FrameClaims | null;
}): Pipeline {
  const { tracker, identity, operator, log } = deps;
  const input = (change: HoldInput, at: number): HoldEvent[] => {
    if (change.kind === 'callInitialized') operator.request();
    identity.userId = operator.userId();
    const events = tracker.apply(change, at, identity);
    for (const event of events) {
      if (!deps.claims) fanOut(deps.outputs(), event, log);
      else void deps.claims.win(event.id).then((mine) => mine && fanOut(deps.outputs(), event, log));
    }
    return events;
  };
  return {
    input: (change, at) => void input(change, at),
    holdFailed(event, reason) {
      const failed = input({ kind: 'holdFailed', event, reason }, Date.now()).find((e) => e.type === 'hold.failed');
      if (!failed) {
        log.warn(`${event.type} ${event.id} was not carried out (${reason}), but a later change has superseded it`);
        return;
      }
      log.error(`${event.type} ${event.id} was not carried out (${reason}); the card is set back`);
      void deps.card.command('CallCardSetHold', { held: failed.data.held }).then((answer) => {
        if (!answer.ok) log.warn(`could not set the card back: ${answer.error}`);
      });
    },
  };
}
