import type { HoldEvent, HoldEventType } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import type { PortalPort } from '../portal/types.ts';

/** A hold that is running now: given to outputs when a new worker frame takes over a held call. */
export interface ActiveHold {
  /** The hold.started event of the running hold. */
  started: HoldEvent;
}

/** An output: one required `send`; everything else is optional. */
export interface Output {
  /** Acts on one event. May be async; a rejection is logged and never reaches other outputs. */
  send(event: HoldEvent): void | Promise<void>;
  /** Picks up a hold that began in an earlier frame (the operator moved to another page mid-hold). */
  resume?(hold: ActiveHold): void;
  /** Stops timers and closes channels when the frame goes away. */
  dispose?(): void;
}

export interface OutputContext {
  portal: PortalPort;
  log: Logger;
  /** The output's name in messages, e.g. `outputs[2] (webhook)`. */
  label: string;
  now(): number;
  /**
   * For an output that carries the hold out on the telephony side: the hold change in `event`
   * could not be made. The worker sets the card back, tells the operator and emits hold.failed.
   */
  holdFailed(event: HoldEvent, reason: string): void;
}

/** Validates `options` (the output's entry in the holdRelay option) and builds the output; throws OutputConfigError. */
export type OutputFactory = (options: Record<string, unknown>, context: OutputContext) => Output;

/** An output whose code is fetched only when a configuration names it: `{ lazy: () => import('./x.ts') }`. */
export interface LazyOutputFactory {
  lazy(): Promise<{ default: OutputFactory }>;
}

/** An output with the filter and label every output gets from its configuration. */
export interface ConfiguredOutput {
  label: string;
  on: ReadonlySet<HoldEventType>;
  output: Output;
}
