import { AppFrame, MessageCommands, MessageManager } from '@bitrix24/b24jssdk';
import type { FrameName } from '../portal/frame-name.ts';
import { callRest, readAuth, type Auth } from '../portal/rest.ts';
import { readSession } from '../portal/session.ts';
import type { PortalPort, RestAnswer } from '../portal/types.ts';

/**
 * The app page's side of the portal: the SDK's frame messaging classes, as the worker uses them
 * (`initializeB24Frame()` would add the SDK's HTTP stack, about twice this page's script, for the
 * handful of REST calls this page makes), and REST calls straight to `<portal>/rest/<method>`.
 */

export interface AppSession {
  lang: string;
  domain: string;
  origin: string;
  memberId: string | null;
  isAdmin: boolean;
  /** The portal opened the page as the app's installer (getInitData INSTALL). */
  install: boolean;
  placement: string;
  appOptions: Record<string, unknown>;
}

export interface AppPortal {
  readonly session: AppSession;
  rest(method: string, params?: Record<string, unknown>): Promise<RestAnswer>;
  /** Tells the portal the installer is done; the portal then reloads the app. Never answered. */
  installFinish(): void;
  /** Asks the portal for its user picker; resolves with the chosen user ids ([] when unanswered). */
  selectUsers(): Promise<number[]>;
  /** The port outputs are built on, for validating and test-sending a configuration from this page. */
  outputPort(): PortalPort;
  dispose(): void;
}

const INIT_TIMEOUT_MS = 10_000;
const PICKER_TIMEOUT_MS = 120_000;

export async function connectAppPortal(frame: FrameName): Promise<AppPortal> {
  const appFrame = new AppFrame({ DOMAIN: frame.domain, PROTOCOL: frame.https, APP_SID: frame.appSid, LANG: null });
  const messages = new MessageManager(appFrame);
  messages.subscribe();
  const init = asRecord(await withTimeout(messages.send(MessageCommands.getInitData, {}), INIT_TIMEOUT_MS));
  const session: AppSession = { ...readSession(init, appFrame.getTargetOrigin(), frame.domain), install: init.INSTALL === true };
  let auth: Auth = readAuth(init);
  const refresh = async (): Promise<Auth> => {
    auth = readAuth(await withTimeout(messages.send(MessageCommands.refreshAuth, {}), INIT_TIMEOUT_MS));
    return auth;
  };
  const rest = (method: string, params: Record<string, unknown> = {}) => callRest(session.origin, method, params, () => auth, refresh);

  return {
    session,
    rest,
    installFinish: () => void messages.send(MessageCommands.setInstallFinish, {}).catch(() => undefined),
    async selectUsers() {
      const picked = await withTimeout(messages.send(MessageCommands.selectUser, { mult: true }), PICKER_TIMEOUT_MS).catch(() => []);
      const list = Array.isArray(picked) ? picked : [picked];
      return list.map((user) => Number(asRecord(user).id)).filter((id) => Number.isSafeInteger(id) && id > 0);
    },
    outputPort: () => ({
      session,
      // No call card belongs to this page: outputs that command one learn so at once.
      command: async () => ({ ok: false, error: 'Call card is undefined' }),
      rest,
      operatorToken: async () => (auth.expiresAt > Date.now() + 5000 ? auth : await refresh().catch(() => auth)).accessToken,
    }),
    dispose: () => messages.unsubscribe(),
  };
}


function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
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
