import broadcast from './broadcast.ts';
import callCard from './call-card.ts';
import log from './log.ts';
import type { AnyOutputDefinition } from './types.ts';

/** A definition, or a loader for one whose code stays off the worker's critical path until a configuration names it. */
export type OutputEntry = AnyOutputDefinition | (() => Promise<{ default: AnyOutputDefinition }>);

/**
 * The output types an admin can name in the holdRelay option, in the order the app page offers
 * them. Adding an output: one file in this folder and one line here; everything else derives.
 */
export const OUTPUTS: Record<string, OutputEntry> = {
  log,
  callCard,
  broadcast,
  webhook: () => import('./webhook.ts'),
  rest: () => import('./rest.ts'),
  server: () => import('./server.ts'),
};

export const outputTypes = (): string[] => Object.keys(OUTPUTS);

/** The outputs the app page and the installer ask for by what they are for, never by type name. */
export const OUTPUT_ROLES = {
  /** Where the app page's form starts when no option is set (the worker then runs the log alone). */
  unset: 'log',
  /** Shows the operator the hold in the call card. */
  card: 'callCard',
  /** Records every hold on the app's server: the hold report's source. */
  statistics: 'server',
  /** What the app page offers first when an admin adds an output. */
  offeredFirst: 'webhook',
} as const;

/** The configuration the installer writes when there is none: with the statistics when the server keeps them. */
export const installedOutputs = (statistics: boolean): { type: string }[] =>
  [OUTPUT_ROLES.unset, OUTPUT_ROLES.card, ...(statistics ? [OUTPUT_ROLES.statistics] : [])].map((type) => ({ type }));

/** Whether an output of `type` may keep events in an outbox: one loaded on demand may, until its definition says. */
export function mayQueue(type: string): boolean {
  const entry = Object.hasOwn(OUTPUTS, type) ? OUTPUTS[type] : undefined;
  return typeof entry === 'function' || entry?.queued !== undefined;
}

/** The definition of `type` as soon as it is loaded; null for a type the table does not name. */
export async function loadDefinition(type: string): Promise<AnyOutputDefinition | null> {
  const entry = Object.hasOwn(OUTPUTS, type) ? OUTPUTS[type] : undefined;
  if (entry === undefined) return null;
  return typeof entry === 'function' ? (await entry()).default : entry;
}

/** Every definition, loaded: for the app page, which shows and checks them all. */
export async function loadAllDefinitions(): Promise<Map<string, AnyOutputDefinition>> {
  const types = outputTypes();
  const definitions = await Promise.all(types.map(loadDefinition));
  return new Map(types.flatMap((type, i) => (definitions[i] ? [[type, definitions[i]] as const] : [])));
}
