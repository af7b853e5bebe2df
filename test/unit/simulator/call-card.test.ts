import { describe, expect, it } from 'vitest';
import { applyCommand, CARD_UNDEFINED, INVALID_UI_STATE, newCall } from '../../../src/simulator/page/call-card.ts';

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
    expect(applyCommand(card, 'CallCardSetStatusText', { statusText: 'On hold 0:03' }).card?.statusText).toBe('On hold 0:03');
  });
});
