import { PlacementManager } from '@bitrix24/b24jssdk';
import { decodeCardAnswer } from './card-answer.ts';
import { connectFrame } from './frame-connection.ts';
import type { FrameName } from './frame-name.ts';
import { isSafelyMarker } from './payloads.ts';
import type { CardCommand, PortalPort } from './types.ts';

/**
 * The worker's side of the portal: the frame connection plus placement events and call-card
 * commands. With frame-connection.ts, the only code that imports @bitrix24/b24jssdk. It uses the
 * SDK's frame messaging classes directly rather than `initializeB24Frame()`, which would pull the
 * SDK's HTTP stack (axios, luxon) onto every portal page for a worker that only subscribes.
 */

export type EventHandler = (arg: unknown) => void;

export interface PortalConnection {
  /**
   * Subscribes to a placement event. Resolves once the subscription is sent and settled; an event
   * that fires before the SDK settles the subscription still reaches `handler`.
   */
  bind(event: string, handler: EventHandler): Promise<void>;
  /** Resolves with the portal's init data; until then `bind` already works. */
  ready: Promise<PortalPort>;
  dispose(): void;
}

export function connectPortal(frame: FrameName): PortalConnection {
  const connection = connectFrame(frame);
  const placement = new PlacementManager(connection.messages);

  const bind = async (event: string, handler: EventHandler): Promise<void> => {
    const settled: unknown = await placement.bindEvent(event, handler);
    // The promise and the event share one callback key: an event within ~900 ms lands here.
    if (!isSafelyMarker(settled)) handler(settled);
  };

  const ready = connection.ready.then((link): PortalPort => ({
    ...link,
    async command(name: CardCommand, params: Record<string, unknown> = {}) {
      return decodeCardAnswer(await placement.call(name, params));
    },
  }));
  return { bind, ready, dispose: connection.dispose };
}
