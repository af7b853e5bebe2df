import callCard from './call-card.ts';
import broadcast from './broadcast.ts';
import log from './log.ts';
import type { LazyOutputFactory, OutputFactory } from './types.ts';

/**
 * The output types an admin can name in the holdRelay option. A factory loaded on demand keeps its
 * code off the worker's critical path until a configuration asks for it.
 */
export const OUTPUT_FACTORIES: Readonly<Record<string, OutputFactory | LazyOutputFactory>> = {
  log,
  callCard,
  broadcast,
  webhook: { lazy: () => import('./webhook.ts') },
  rest: { lazy: () => import('./rest.ts') },
};

export type { ConfiguredOutput, Output, OutputContext, OutputFactory } from './types.ts';
