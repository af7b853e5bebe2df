import type * as v from 'valibot';
import type { Exclusive } from '../delivery/exclusive.ts';
import type { OutboxStore } from '../delivery/outbox-store.ts';
import type { JournalView } from '../delivery/pending-journal.ts';
import type { HoldEvent, HoldEventType } from '../hold/types.ts';
import type { Logger } from '../log/logger.ts';
import type { OutputPortal } from '../portal/types.ts';

/** A hold that is running now: given to outputs when a new worker frame takes over a held call. */
export interface ActiveHold {
  /** The hold.started event of the running hold. */
  started: HoldEvent;
}

/** What became of one event at one output. */
export type SendOutcome = { ok: true } | { ok: false; reason: string };

/** An output: one required `send`; everything else is optional. */
export interface Output {
  /**
   * Acts on one event. May be async; it answers what became of the event (nothing means done). A
   * throw or rejection is logged and never reaches other outputs.
   */
  send(event: HoldEvent): SendOutcome | undefined | Promise<SendOutcome | undefined>;
  /**
   * Set by an output that carries the hold out on the telephony side: when its `send` answers
   * `ok: false`, the change did not happen, and the worker undoes it and sets the card back.
   */
  readonly confirms?: boolean;
  /** Picks up a hold that began in an earlier frame (the operator moved to another page mid-hold). */
  resume?(hold: ActiveHold): void;
  /** Stops timers and closes channels when the frame goes away. */
  dispose?(): void;
}

export interface OutputContext {
  portal: OutputPortal;
  log: Logger;
  /** The output's name in messages, e.g. `outputs[2] (webhook)`. */
  label: string;
  now(): number;
  /** Where queued events wait and the lock frames deliver them under; default the browser's own (IndexedDB, Web Locks). */
  delivery?: DeliveryPorts;
  /** Events saved with the hold state that a queued output must still take into its outbox (durable storage only). */
  journal?: JournalView | null;
}

export interface DeliveryPorts {
  outbox: Promise<OutboxStore>;
  exclusive: Exclusive;
}

/** How the app page's form shows one option field. */
export type FieldKind = 'text' | 'url' | 'secret' | 'number' | 'boolean' | 'json';

export interface FormField {
  key: string;
  kind: FieldKind;
  /** English label and hint; the app page uses its own translation for the key where it has one. */
  label: string;
  hint?: string;
}

/** The schema of an output's own fields (besides type, enabled and on). */
export type OptionsSchema<T> = v.GenericSchema<unknown, T> & {
  readonly entries: Readonly<Record<string, v.GenericSchema>>;
};

/**
 * Everything about one output type, in its own file: its options' schema, how to build it, and
 * what the app page's form needs to show it. The table in index.ts names the definitions.
 */
export interface OutputDefinition<T = Record<string, unknown>> {
  type: string;
  /** English name and one line on what it does (the app page translates by type where it can). */
  title: string;
  description: string;
  schema: OptionsSchema<T>;
  /** The form's controls, in order; a field is required when the schema says so. */
  fields: readonly FormField[];
  /** Event types it takes when its entry names none; default hold.started and hold.ended. */
  defaultOn?: readonly HoldEventType[];
  /** Builds the output from options the schema accepted. */
  create(options: T, context: OutputContext): Output;
  /**
   * For an output whose events wait in an outbox, so may outlive the frame: the outbox's name for
   * these options (e.g. the receiver's URL), or null when these options send at once. Its events are
   * then kept beside the hold state from the click until the outbox has them (`context.journal`),
   * and the app page shows what waits in it.
   */
  queued?(options: T): string | null;
  /** For an output that posts each event on a BroadcastChannel: the channel's name, which the app page listens to. */
  broadcasts?(options: T): string;
  /**
   * For the app page's test event, when sending would change data in the portal or needs a live
   * call: what it would do instead (values for its note), or null to skip it.
   */
  describeTest?(options: T, event: HoldEvent): Record<string, string> | null;
  /** For the app page's test event: sends it once, now, outside any queue (default: create, send, dispose). */
  sendTest?(options: T, context: OutputContext, event: HoldEvent): Promise<SendOutcome>;
}

/** Keeps an output file's definition typed by its schema. */
export function defineOutput<T>(definition: OutputDefinition<T>): OutputDefinition<T> {
  return definition;
}

/** An output with the filter and label every output gets from its configuration. */
export interface ConfiguredOutput {
  label: string;
  on: ReadonlySet<HoldEventType>;
  output: Output;
}

/** A definition whatever its options' type: the table holds these, and only its schema's output reaches `create`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOutputDefinition = OutputDefinition<any>;
