import { describe, expect, it } from 'vitest';
import { isConnectedCall, parseInitializedPayload } from '../../../src/portal/payloads.ts';
import {
  applyCommand,
  CARD_UNDEFINED,
  cardButtons,
  connect,
  initializedPayload,
  INVALID_UI_STATE,
  newCall,
} from '../../../src/simulator/page/call-card.ts';

const card = newCall(1_764_000_000_000);

describe('the simulated call card answers CallCard* commands as the portal does', () => {
  it('answers [] and changes only the card for CallCardSetHold', () => {
    const { card: next, result } = applyCommand(card, 'CallCardSetHold', { held: true });
    expect(result).toEqual({ answer: [] });
    expect(next).toMatchObject({ held: true, callId: card.callId });
  });

  it('answers "Call card is undefined" without an active card', () => {
    expect(applyCommand(null, 'CallCardSetStatusText', { statusText: 'x' }).result).toEqual({ answer: CARD_UNDEFINED });
  });

  it('answers "Invalid ui state" for a state it does not know', () => {
    const { card: next, result } = applyCommand(card, 'CallCardSetUiState', { uiState: 'flying' });
    expect(result).toEqual({ answer: INVALID_UI_STATE });
    expect(next).toBe(card);
  });

  it('never answers CallCardStartTimer or CallCardStopTimer, with or without a card', () => {
    expect(applyCommand(card, 'CallCardStartTimer', {}).result).toBe('no-answer');
    expect(applyCommand(null, 'CallCardStopTimer', {}).result).toBe('no-answer');
  });

  it('closes the card with CallCardClose', () => {
    expect(applyCommand(card, 'CallCardClose', {})).toEqual({ card: null, result: { answer: [] } });
  });

  it('sets the status text the operator reads', () => {
    expect(applyCommand(card, 'CallCardSetStatusText', { statusText: 'On hold 0:03' }).card?.statusText).toBe(
      'On hold 0:03',
    );
  });
});

describe('the simulated call card starts and connects calls as the portal does', () => {
  const T = 1_764_000_000_000;

  it('rings an incoming call with Answer shown and Hold hidden, and shows Hold once answered', () => {
    const ringing = newCall(T, 'incoming');
    expect(initializedPayload(ringing)).toMatchObject({ CALL_DIRECTION: 'incoming', CALL_STATE: 'incoming' });
    expect(cardButtons(ringing)).toMatchObject({ answer: true, hold: false });
    const answered = connect(ringing);
    expect(answered).toMatchObject({ uiState: 'connected', answered: true });
    expect(cardButtons(answered)).toMatchObject({ answer: false, hold: true });
    expect(isConnectedCall(initializedPayload(answered))).toBe(true);
  });

  it('starts an outgoing call connecting, without an Answer button, and one already connected', () => {
    const dialing = newCall(T, 'outgoing');
    expect(initializedPayload(dialing)).toMatchObject({ CALL_DIRECTION: 'outgoing', CALL_STATE: 'connectingOutgoing' });
    expect(cardButtons(dialing)).toMatchObject({ answer: false, hold: false, hangup: true });
    const connected = newCall(T, 'outgoing-connected');
    expect(initializedPayload(connected)).toMatchObject({ CALL_DIRECTION: 'outgoing', CALL_STATE: 'connected' });
    expect(cardButtons(connected)).toMatchObject({ answer: false, hold: true });
  });

  it("sends an initialized the worker reads, with the call's direction", () => {
    const parsed = parseInitializedPayload(initializedPayload(newCall(T, 'outgoing')));
    expect(parsed.ok && parsed.value.direction).toBe('outgoing');
  });

  it('offers only Close once the call ended, and nothing without a card', () => {
    expect(cardButtons({ ...connect(newCall(T)), ended: true })).toEqual({
      answer: false,
      hold: false,
      mute: false,
      hangup: false,
      'close-card': true,
    });
    expect(Object.values(cardButtons(null)).some(Boolean)).toBe(false);
  });
});
