import { DEFAULT_ON, type OutputSpec } from '../config/hold-relay-option.ts';
import { issueText } from '../config/issues.ts';
import { checkOptions } from './check-options.ts';
import { OUTPUTS } from './index.ts';
import { HOLD_EVENT_TYPES, type HoldEventType } from '../hold/types.ts';
import type { AnyOutputDefinition, ConfiguredOutput, Output, OutputContext } from './types.ts';

type BaseContext = Omit<OutputContext, 'label'>;

/**
 * Creates the configured outputs, each on its definition from the table. An entry whose options are
 * invalid, or whose output cannot be built, is logged (each problem, naming the entry and the field)
 * and left out; the others are built. An output loaded on demand checks its options once loaded.
 */
export function buildOutputs(specs: readonly OutputSpec[], base: BaseContext): ConfiguredOutput[] {
  return specs.flatMap((spec) => {
    const entry = Object.hasOwn(OUTPUTS, spec.type) ? OUTPUTS[spec.type] : undefined;
    if (entry === undefined) return []; // the option's parser reported the unknown type already
    const context: OutputContext = { ...base, label: spec.label };
    if (typeof entry !== 'function') {
      const output = create(entry, spec, context);
      return output ? [{ label: spec.label, on: eventsFor(spec, entry), output }] : [];
    }
    const loaded = entry().then(({ default: definition }) => ({ output: create(definition, spec, context), on: eventsFor(spec, definition) }));
    loaded.catch((error: unknown) => context.log.error(`${spec.label}: could not load its code`, error));
    // Until the code is here, its default event types are not known: it takes all, and sorts them once loaded.
    return [{ label: spec.label, on: spec.on ? new Set(spec.on) : new Set(HOLD_EVENT_TYPES), output: lazyOutput(loaded) }];
  });
}

function eventsFor(spec: OutputSpec, definition: AnyOutputDefinition): Set<HoldEventType> {
  return new Set(spec.on ?? definition.defaultOn ?? DEFAULT_ON);
}

function create(definition: AnyOutputDefinition, spec: OutputSpec, context: OutputContext): Output | null {
  const checked = checkOptions(definition, spec);
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
  void loaded.then(({ output }) => (real = output), () => undefined);
  return {
    send: (event) => loaded.then(({ output, on }) => (on.has(event.type) ? output?.send(event) : undefined)),
    get confirms() {
      return real?.confirms;
    },
    resume: (hold) => void loaded.then(({ output }) => output?.resume?.(hold)),
    dispose: () => void loaded.then(({ output }) => output?.dispose?.()),
  };
}
