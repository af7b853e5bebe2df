// The call card the portal shows for a call the app registered: its state, changed by the
// operator's buttons (which fire events) and by the app's CallCard* commands (which do not).

export interface CallCardState {
  callId: string;
  phoneNumber: string;
  title: string;
  statusText: string;
  uiState: string;
  direction: 'incoming' | 'outgoing';
  held: boolean;
  muted: boolean;
  /** Connected: answered by the operator (incoming) or by the person called (outgoing). */
  answered: boolean;
  ended: boolean;
  timerRunning: boolean;
}

/** The states CallCardGetListUiStates names. */
export const UI_STATES = [
  'undefined',
  'incoming',
  'transferIncoming',
  'outgoing',
  'connectingIncoming',
  'connectingOutgoing',
  'connected',
  'transferring',
  'transferFailed',
  'transferConnected',
  'idle',
  'error',
  'moneyError',
  'sipPhoneError',
  'redial',
] as const;

export const CARD_UNDEFINED = [{ result: 'error', errorCode: 'Call card is undefined' }];
export const INVALID_UI_STATE = [{ result: 'error', errorCode: 'Invalid ui state' }];

/** What the portal answers a CallCard* command with; `undefined` means it never answers. */
export type CommandAnswer = { answer: unknown } | 'no-answer';

/**
 * How a call starts: ringing for the operator (`incoming`), ringing at the other end (`outgoing`,
 * connecting), or an outgoing call the app registered once it was connected (`outgoing-connected`).
 */
export type CallStart = 'incoming' | 'outgoing' | 'outgoing-connected';

export function newCall(now: number, start: CallStart = 'incoming'): CallCardState {
  const callId = `SIM${now.toString(16).toUpperCase()}.${Math.floor(now / 1000)}.${Math.floor(Math.random() * 1e6)}`;
  const direction = start === 'incoming' ? 'incoming' : 'outgoing';
  const uiState = start === 'incoming' ? 'incoming' : start === 'outgoing' ? 'connectingOutgoing' : 'connected';
  return {
    callId,
    phoneNumber: '+19001234567',
    title: 'Ivan Petrov (contact)',
    statusText: '',
    uiState,
    direction,
    held: false,
    muted: false,
    answered: uiState === 'connected',
    ended: false,
    timerRunning: false,
  };
}

/** The call is connected from now: the operator answered it, or the person called picked up. */
export function connect(card: CallCardState): CallCardState {
  return { ...card, answered: true, uiState: 'connected' };
}

/** Which buttons the card offers the operator: Hold only while connected, Answer only while an incoming call rings. */
export function cardButtons(
  card: CallCardState | null,
): Record<'answer' | 'hold' | 'mute' | 'hangup' | 'close-card', boolean> {
  const live = card !== null && !card.ended;
  return {
    answer: live && card.direction === 'incoming' && !card.answered,
    hold: live && card.answered,
    mute: live,
    hangup: live,
    'close-card': card !== null,
  };
}

/** The first argument of BackgroundCallCard::initialized for this call. */
export function initializedPayload(card: CallCardState): Record<string, unknown> {
  return {
    CALL_ID: card.callId,
    PHONE_NUMBER: card.phoneNumber,
    LINE_NUMBER: 'reg151083',
    LINE_NAME: 'Sales line',
    CRM_ENTITY_TYPE: 'CONTACT',
    CRM_ENTITY_ID: '123',
    CRM_ACTIVITY_ID: '456',
    CRM_BINDINGS: [{ ENTITY_TYPE: 'CONTACT', ENTITY_ID: '123' }],
    CALL_DIRECTION: card.direction,
    CALL_STATE: card.uiState,
    CALL_LIST_MODE: false,
  };
}

/** Applies a CallCard* command; the card may be null (no active call). */
export function applyCommand(
  card: CallCardState | null,
  name: string,
  params: Record<string, unknown>,
): { card: CallCardState | null; result: CommandAnswer } {
  if (!card)
    return {
      card,
      result: name === 'CallCardStartTimer' || name === 'CallCardStopTimer' ? 'no-answer' : { answer: CARD_UNDEFINED },
    };
  const done = (next: CallCardState | null) => ({ card: next, result: { answer: [] } as CommandAnswer });
  switch (name) {
    case 'CallCardSetHold':
      return done({ ...card, held: params.held === true });
    case 'CallCardSetMute':
      return done({ ...card, muted: params.muted === true });
    case 'CallCardSetUiState':
      if (!UI_STATES.includes(params.uiState as (typeof UI_STATES)[number]))
        return { card, result: { answer: INVALID_UI_STATE } };
      return done({ ...card, uiState: String(params.uiState) });
    case 'CallCardGetListUiStates':
      return { card, result: { answer: [...UI_STATES] } };
    case 'CallCardSetCardTitle':
      return done({ ...card, title: String(params.title ?? '') });
    case 'CallCardSetStatusText':
      return done({ ...card, statusText: String(params.statusText ?? '') });
    case 'CallCardStartTimer':
      return { card: { ...card, timerRunning: true }, result: 'no-answer' };
    case 'CallCardStopTimer':
      return { card: { ...card, timerRunning: false }, result: 'no-answer' };
    case 'CallCardClose':
      return done(null);
    default:
      return { card, result: 'no-answer' };
  }
}
