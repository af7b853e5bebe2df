import { memoryOutbox } from '../delivery/outbox-store.ts';
import broadcast from '../outputs/broadcast.ts';
import callCard from '../outputs/call-card.ts';
import { OUTPUT_FACTORIES } from '../outputs/index.ts';
import log from '../outputs/log.ts';
import rest from '../outputs/rest.ts';
import type { OutputFactory } from '../outputs/types.ts';
import { createWebhookOutput } from '../outputs/webhook.ts';

/**
 * The worker's output factories, for checking and test-sending a configuration from the app page.
 * A webhook built here gets an empty in-memory outbox of its own: it must never deliver (or even
 * see) what the portal's worker frames queued in this browser.
 */
export const APP_FACTORIES: Readonly<Record<string, OutputFactory>> = {
  log,
  callCard,
  broadcast,
  webhook: (options, context) =>
    createWebhookOutput(options, context, { outbox: Promise.resolve(memoryOutbox()), exclusive: (_name, task) => task() }),
  rest,
};

/** The type names an admin can use, in the worker's order (its message for an unknown type lists them). */
export const KNOWN_TYPES: readonly string[] = Object.keys(OUTPUT_FACTORIES);

export function factoryFor(type: string): OutputFactory | undefined {
  return Object.hasOwn(APP_FACTORIES, type) ? APP_FACTORIES[type] : undefined;
}
