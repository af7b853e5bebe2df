/** What the worker needs from the portal, without the SDK: outputs and tests depend on this only. */

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
export type CardAnswer =
  | { ok: true; value: unknown }
  | { ok: false; error: string };

export interface CallCardPort {
  command(name: CardCommand, params?: Record<string, unknown>): Promise<CardAnswer>;
}

export type RestAnswer =
  | { ok: true; result: unknown }
  | { ok: false; error: string; description: string; status: number };

export interface RestPort {
  /** Calls `<portal>/rest/<method>` with the operator's auth. */
  rest(method: string, params?: Record<string, unknown>): Promise<RestAnswer>;
}

export interface PortalPort extends CallCardPort, RestPort {
  readonly session: PortalSession;
  /** The operator's current access token (refreshed when expired), for outputs configured to carry it. */
  operatorToken(options?: { renew?: boolean }): Promise<string | null>;
}
