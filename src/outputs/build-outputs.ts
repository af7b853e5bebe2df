import { DEFAULT_ON, type OutputSpec } from '../config/hold-relay-option.ts';
import { issueText } from '../config/issues.ts';
import { journalKeyOf, type PendingJournal } from '../delivery/pending-journal.ts';
import { checkOptions } from './check-options.ts';
import { OUTPUTS } from './index.ts';
import { HOLD_EVENT_TYPES, type HoldEventType } from '../hold/types.ts';
import type { AnyOutputDefinition, ConfiguredOutput, Output, OutputContext } from './types.ts';

/** What every output gets, and the journal whole: each output sees its own entries, settled by its definition. */
type BaseContext = Omit<OutputContext, 'label' | 'journal'> & { journal?: PendingJournal | null };

/**
 * Creates the configured outputs, each on its definition from the table. An entry whose options are
 * invalid, or whose output cannot be built, is logged (each problem, naming the entry and the field)
 * and left out; the others are built. An output loaded on demand checks its options once loaded.
 */
export function buildOutputs(specs: readonly OutputSpec[], base: BaseContext): ConfiguredOutput[] {
  return specs.flatMap((spec) => {
    const entry = Object.hasOwn(OUTPUTS, spec.type) ? OUTPUTS[spec.type] : undefined;
    if (entry === undefined) return []; // the option's parser reported the unknown type already
    const { journal, ...rest } = base;
    const key = journalKeyOf(spec);
    const context: OutputContext = { ...rest, label: spec.label, journal: journal?.view(key) ?? null };
    const settle = (on: ReadonlySet<HoldEventType> | null) => journal?.settle(key, on);
    if (typeof entry !== 'function') {
      const output = create(entry, spec, context, settle);
      return output ? [{ label: spec.label, on: eventsFor(spec, entry), output }] : [];
    }
    const loaded = entry().then(({ default: definition }) => ({
      output: create(definition, spec, context, settle),
      on: eventsFor(spec, definition),
    }));
    // Code that did not load says nothing: what the journal holds for it waits for a frame where it loads.
    loaded.catch((error: unknown) => context.log.error(`${spec.label}: could not load its code`, error));
    // Until the code is here, its default event types are not known: it takes all, and sorts them once loaded.
    return [
      { label: spec.label, on: spec.on ? new Set(spec.on) : new Set(HOLD_EVENT_TYPES), output: lazyOutput(loaded) },
    ];
  });
}

function eventsFor(spec: OutputSpec, definition: AnyOutputDefinition): Set<HoldEventType> {
  return new Set(spec.on ?? definition.defaultOn ?? DEFAULT_ON);
}

/** Builds the output, once its definition has said whether these options queue (and which types) or not. */
function create(
  definition: AnyOutputDefinition,
  spec: OutputSpec,
  context: OutputContext,
  settle: (on: ReadonlySet<HoldEventType> | null) => void,
): Output | null {
  const checked = checkOptions(definition, spec);
  settle(checked.ok && definition.queued?.(checked.options) ? eventsFor(spec, definition) : null);
  if (!checked.ok) {
    checked.issues.forEach((issue) => context.log.error(issueText(issue)));
    return null;
  }
  try {
    return definition.create(checked.options, context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.log.error(issueText({ index: spec.index, type: spec.type, field: '', message }));
    return null;
  }
}

/** Stands for an output whose code is still loading; events that arrive meanwhile wait in order. */
function lazyOutput(loaded: Promise<{ output: Output | null; on: ReadonlySet<HoldEventType> }>): Output {
  let real: Output | null = null;
  void loaded.then(
    ({ output }) => (real = output),
    () => undefined,
  );
  return {
    send: (event) => loaded.then(({ output, on }) => (on.has(event.type) ? output?.send(event) : undefined)),
    get confirms() {
      return real?.confirms;
    },
    resume: (hold) => void loaded.then(({ output }) => output?.resume?.(hold)),
    dispose: () => void loaded.then(({ output }) => output?.dispose?.()),
  };
}
