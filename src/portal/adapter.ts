import { AppFrame, MessageCommands, MessageManager, PlacementManager } from '@bitrix24/b24jssdk';
import type { FrameName } from './frame-name.ts';
import { isSafelyMarker } from './payloads.ts';
import { decodeCardAnswer } from './card-answer.ts';
import { callRest, readAuth, type Auth } from './rest.ts';
import { readSession } from './session.ts';
import type { CardCommand, PortalPort } from './types.ts';

/**
 * The only module that imports @bitrix24/b24jssdk. It uses the SDK's frame messaging classes
 * directly rather than `initializeB24Frame()`, which would pull the SDK's HTTP stack (axios, luxon)
 * onto every portal page for a worker that only subscribes.
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

const INIT_TIMEOUT_MS = 10_000;

export function connectPortal(frame: FrameName): PortalConnection {
  const appFrame = new AppFrame({ DOMAIN: frame.domain, PROTOCOL: frame.https, APP_SID: frame.appSid, LANG: null });
  const messages = new MessageManager(appFrame);
  messages.subscribe();
  const placement = new PlacementManager(messages);

  const bind = async (event: string, handler: EventHandler): Promise<void> => {
    const settled: unknown = await placement.bindEvent(event, handler);
    // The promise and the event share one callback key: an event within ~900 ms lands here.
    if (!isSafelyMarker(settled)) handler(settled);
  };

  const ready = withTimeout(messages.send(MessageCommands.getInitData, {}), INIT_TIMEOUT_MS).then(
    (data: unknown): PortalPort => {
      const init = (data ?? {}) as Record<string, unknown>;
      const session = readSession(init, appFrame.getTargetOrigin(), frame.domain);
      let auth: Auth = readAuth(init);
      const refresh = async (): Promise<Auth> => {
        auth = readAuth(await withTimeout(messages.send(MessageCommands.refreshAuth, {}), INIT_TIMEOUT_MS));
        return auth;
      };
      return {
        session,
        async command(name: CardCommand, params: Record<string, unknown> = {}) {
          return decodeCardAnswer(await placement.call(name, params));
        },
        rest: (method, params) => callRest(session.origin, method, params, () => auth, refresh),
        async operatorToken() {
          const current = auth.accessToken !== null && auth.expiresAt > Date.now() + 5000 ? auth : await refresh().catch(() => auth);
          return current.accessToken;
        },
      };
    },
  );

  return { bind, ready, dispose: () => messages.unsubscribe() };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the portal did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}
