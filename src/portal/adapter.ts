import { decodeCardAnswer } from './card-answer.ts';
import type { EarlyBinds } from './early-binds.ts';
import { connectFrame } from './frame-connection.ts';
import type { FrameName } from './frame-name.ts';
import { isSafelyMarker } from './payloads.ts';
import type { CardCommand, OutputPortal } from './types.ts';

/**
 * The worker's side of the portal: the frame connection plus placement events and call-card
 * commands, over the SDK's MessageManager (frame-connection.ts, the only importer of
 * @bitrix24/b24jssdk) rather than `initializeB24Frame()`, which would pull the SDK's HTTP stack
 * (axios, luxon) onto every portal page for a worker that only subscribes. Events and commands go
 * out exactly as the SDK's PlacementManager sends them (`bindEvent`, `call`), without loading it.
 */

/** One card event's argument, and when the frame received it (absent: now). */
export type EventHandler = (arg: unknown, receivedAt?: number) => void;

export interface WorkerPortal {
  /**
   * Subscribes to a placement event. Resolves once the subscription is sent and settled; an event
   * that fires before the SDK settles the subscription still reaches `handler`.
   */
  bind(event: string, handler: EventHandler): Promise<void>;
  /** Resolves with the portal's init data; until then `bind` already works. */
  ready: Promise<OutputPortal>;
  dispose(): void;
}

/** How long the SDK waits for an answer to a subscription before it settles it (`isSafely`). */
const SAFELY_MS = 900;

/** `early`: subscriptions the page's inline script already made; `bind` takes those over instead of subscribing again. */
export function connectWorkerPortal(frame: FrameName, early: EarlyBinds | null = null): WorkerPortal {
  const connection = connectFrame(frame);
  const { messages } = connection;
  let disposed = false;

  const bind = async (event: string, handler: EventHandler): Promise<void> => {
    const key = early?.keys[event];
    if (key !== undefined && early) return adopt(early, key, handler, () => disposed);
    const settled: unknown = await messages.send('placementBindEvent', { event, callBack: handler, isSafely: true });
    // The promise and the event share one callback key: an event within ~900 ms lands here.
    if (!isSafelyMarker(settled)) handler(settled);
  };

  const ready = connection.ready.then((link): OutputPortal => ({
    ...link,
    async command(name: CardCommand, params: Record<string, unknown> = {}) {
      return decodeCardAnswer(await messages.send(name, { ...params, isSafely: true, isRawValue: false }));
    },
  }));
  const dispose = (): void => {
    disposed = true;
    connection.dispose();
  };
  return { bind, ready, dispose };
}

/**
 * Every post to an early subscription's key reaches `handler`, parsed as the SDK parses it (one that
 * is not JSON is dropped); the promise settles as the SDK's would, at its first post or 900 ms after
 * the subscription went out.
 */
function adopt(early: EarlyBinds, key: string, handler: EventHandler, disposed: () => boolean): Promise<void> {
  return new Promise((settle) => {
    const timer = setTimeout(settle, Math.max(0, early.sentAt + SAFELY_MS - Date.now()));
    early.listen(key, (args, receivedAt) => {
      if (disposed()) return;
      let arg: unknown = args;
      if (args !== '') {
        try {
          arg = JSON.parse(args);
        } catch {
          return;
        }
      }
      clearTimeout(timer);
      settle();
      handler(arg, receivedAt);
    });
  });
}
