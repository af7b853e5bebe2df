import type { OutputSpec } from '../config/hold-relay-option.ts';
import type { Logger } from '../log/logger.ts';
import { OUTPUT_FACTORIES } from './index.ts';
import type { ConfiguredOutput, LazyOutputFactory, Output, OutputContext, OutputFactory } from './types.ts';

type BaseContext = Omit<OutputContext, 'label'>;

/**
 * Creates the configured outputs. An entry whose type is unknown or whose options are invalid is
 * logged once, naming the entry and the field, and left out; the others are built.
 */
export function buildOutputs(specs: readonly OutputSpec[], base: BaseContext, log: Logger): ConfiguredOutput[] {
  const built: ConfiguredOutput[] = [];
  for (const spec of specs) {
    const factory = Object.hasOwn(OUTPUT_FACTORIES, spec.type) ? OUTPUT_FACTORIES[spec.type] : undefined;
    if (!factory) {
      const known = Object.keys(OUTPUT_FACTORIES).join(', ');
      log.error(`${spec.label}: field "type" must be one of ${known}; this output is disabled`);
      continue;
    }
    const context: OutputContext = { ...base, label: spec.label };
    const output = typeof factory === 'function' ? create(factory, spec, context) : lazyOutput(factory, spec, context);
    if (output) built.push({ label: spec.label, on: new Set(spec.on), output });
  }
  return built;
}

function create(factory: OutputFactory, spec: OutputSpec, context: OutputContext): Output | null {
  try {
    return factory(spec.options, context);
  } catch (error) {
    context.log.error(error instanceof Error ? error.message : `${spec.label}: ${String(error)}`);
    return null;
  }
}

/** Loads an output's code on first need; events that arrive meanwhile wait in order. */
function lazyOutput(factory: LazyOutputFactory, spec: OutputSpec, context: OutputContext): Output {
  let real: Output | null = null;
  const loaded = factory.lazy().then((module) => (real = create(module.default, spec, context)));
  loaded.catch((error: unknown) => context.log.error(`${spec.label}: could not load its code`, error));
  return {
    send: (event) => (real ? real.send(event) : loaded.then((output) => output?.send(event))),
    resume: (hold) => void loaded.then((output) => output?.resume?.(hold)),
    dispose: () => void loaded.then((output) => output?.dispose?.()),
  };
}
