import { AppFrame, MessageManager } from '@bitrix24/b24jssdk';
import type { FrameName } from './frame-name.ts';
import { callRest, readAuth, type Auth } from './rest.ts';
import { readSession } from './session.ts';
import type { ConnectedPortal } from './types.ts';

/**
 * The one connection of a frame (the worker or the app page) to the portal that opened it: the SDK's
 * frame messaging, the session from getInitData, and REST with the operator's token, renewed when
 * it expires. Each page adds what only it needs on top (the worker: placement events and card
 * commands; the app page: the installer and the user picker).
 */
export interface FrameConnection {
  messages: MessageManager;
  /** Sends a frame command, failing when the portal does not answer within `timeoutMs`. */
  send(command: string, params: Record<string, unknown>, timeoutMs?: number): Promise<unknown>;
  /** Resolves once the portal answered getInitData. */
  ready: Promise<ConnectedPortal>;
  dispose(): void;
}

export type { ConnectedPortal };

export const PORTAL_TIMEOUT_MS = 10_000;

export function connectFrame(frame: FrameName): FrameConnection {
  const appFrame = new AppFrame({ DOMAIN: frame.domain, PROTOCOL: frame.https, APP_SID: frame.appSid, LANG: null });
  const messages = new MessageManager(appFrame);
  messages.subscribe();
  const send = (command: string, params: Record<string, unknown>, timeoutMs = PORTAL_TIMEOUT_MS): Promise<unknown> =>
    withTimeout(messages.send(command, params), timeoutMs);

  const ready = send('getInitData', {}).then((data): ConnectedPortal => {
    const init = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
    const session = readSession(init, appFrame.getTargetOrigin(), frame.domain);
    let auth: Auth = readAuth(init);
    const refresh = async (): Promise<Auth> => (auth = readAuth(await send('refreshAuth', {})));
    return {
      session,
      rest: (method, params = {}) => callRest(session.origin, method, params, () => auth, refresh),
      async operatorToken(options = {}) {
        const fresh = auth.accessToken !== null && auth.expiresAt > Date.now() + 5000 && options.renew !== true;
        const current = fresh ? auth : await refresh().catch(() => auth);
        return current.accessToken;
      },
    };
  });
  return { messages, send, ready, dispose: () => messages.unsubscribe() };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the portal did not answer within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}
