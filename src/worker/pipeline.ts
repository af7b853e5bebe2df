import type { FrameClaims } from '../delivery/frame-claims.ts';
import type { HoldEvent, HoldInput, PortalIdentity } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import { fanOut } from '../outputs/fan-out.ts';
import type { ConfiguredOutput } from '../outputs/types.ts';
import type { CallCardCommands } from '../portal/types.ts';
import type { HoldTracker } from './hold-tracker.ts';

export interface Pipeline {
  /** One card input from `identity`'s frame: state transition, then every resulting event to the outputs. */
  input(input: HoldInput, at: number, identity: PortalIdentity): void;
}

/**
 * Portal inputs in, events out to the outputs. When a confirming output answers that it could not
 * carry a hold change out, the pipeline undoes the change, sets the card back and tells everyone.
 */
export function createPipeline(deps: {
  tracker: HoldTracker;
  outputs: readonly ConfiguredOutput[];
  card: CallCardCommands;
  log: Logger;
  /** Set where frames share no storage: which of them acts on an event. */
  claims?: FrameClaims | null;
}): Pipeline {
  const { tracker, outputs, log, claims } = deps;

  const apply = (change: HoldInput, at: number, identity: PortalIdentity): HoldEvent[] => {
    const events = tracker.apply(change, at, identity);
    for (const event of events) {
      const relay = (): void => fanOut(outputs, event, log, (refused, reason) => holdFailed(refused, reason, identity));
      if (!claims) relay();
      else void claims.win(event.id).then((mine) => mine && relay());
    }
    return events;
  };

  const holdFailed = (event: HoldEvent, reason: string, identity: PortalIdentity): void => {
    const failed = apply({ kind: 'holdFailed', event, reason }, Date.now(), identity).find(
      (e) => e.type === 'hold.failed',
    );
    if (!failed) {
      log.warn(`${event.type} ${event.id} was not carried out (${reason}), but a later change has superseded it`);
      return;
    }
    log.error(`${event.type} ${event.id} was not carried out (${reason}); the card is set back`);
    void deps.card.command('CallCardSetHold', { held: failed.data.held }).then((answer) => {
      if (!answer.ok) log.warn(`could not set the card back: ${answer.error}`);
    });
  };

  return { input: (change, at, identity) => void apply(change, at, identity) };
}
