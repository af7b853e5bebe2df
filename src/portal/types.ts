/**
 * What the worker needs from the portal, without the SDK: outputs and tests depend on this only.
 *
 * One vocabulary: a frame's `FrameConnection` carries the messages; once the portal answered, the
 * frame has a `ConnectedPortal` (session, REST, the operator's token). Each page adds its own:
 * `OutputPortal` (plus card commands: what outputs are built on), `WorkerPortal` (the worker's
 * subscriptions, src/portal/adapter.ts) and `AppPortal` (the installer and the user picker,
 * src/app/app-connection.ts).
 */

export interface PortalSession {
  /** Portal language code, e.g. 'en', 'ru', 'de'. */
  lang: string;
  /** Portal host[:port], e.g. 'example.bitrix24.com'. */
  domain: string;
  /** e.g. 'https://example.bitrix24.com'. */
  origin: string;
  memberId: string | null;
  isAdmin: boolean;
  placement: string;
  /** The portal opened the page as the app's installer (getInitData INSTALL). */
  install: boolean;
  /** Application options as the portal gave them (readable by every portal user). */
  appOptions: Record<string, unknown>;
}

export type CardCommand =
  | 'CallCardSetHold'
  | 'CallCardSetMute'
  | 'CallCardSetUiState'
  | 'CallCardGetListUiStates'
  | 'CallCardSetCardTitle'
  | 'CallCardSetStatusText'
  | 'CallCardStartTimer'
  | 'CallCardStopTimer'
  | 'CallCardClose';

/** The portal's answer to a card command, decoded. */
export type CardAnswer = { ok: true; value: unknown } | { ok: false; error: string };

export interface CallCardCommands {
  command(name: CardCommand, params?: Record<string, unknown>): Promise<CardAnswer>;
}

export type RestAnswer =
  { ok: true; result: unknown } | { ok: false; error: string; description: string; status: number };

export interface PortalRest {
  /** Calls `<portal>/rest/<method>` with the operator's auth. */
  rest(method: string, params?: Record<string, unknown>): Promise<RestAnswer>;
}

/** A frame's portal once it answered getInitData. */
export interface ConnectedPortal extends PortalRest {
  readonly session: PortalSession;
  /** The operator's current access token, renewed when it is about to expire, or with `renew` (a server refused it). */
  operatorToken(options?: { renew?: boolean }): Promise<string | null>;
}

/** What outputs are built on: the connected portal and the call card's commands. */
export interface OutputPortal extends ConnectedPortal, CallCardCommands {}
