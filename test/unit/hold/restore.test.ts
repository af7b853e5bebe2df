import { describe, expect, it } from 'vitest';
import { MAX_CALL_AGE_MS, restoreState } from '../../../src/hold/restore.ts';
import { initialState, transition } from '../../../src/hold/state.ts';
import { CONTEXT, IDENTITY } from '../../support/fixtures.ts';

const NOW = Date.parse('2026-11-24T10:00:00.000Z');
const held = transition(
  transition(initialState(), { kind: 'callInitialized', context: CONTEXT, connected: false }, NOW, IDENTITY).state,
  { kind: 'holdClicked', held: true },
  NOW,
  IDENTITY,
).state;

describe('restoring stored hold state', () => {
  it('restores what was stored', () => {
    expect(restoreState(JSON.stringify(held), NOW + 1000)).toEqual(held);
  });

  it.each([
    ['nothing stored', null],
    ['not JSON', '{oops'],
    ['another version', JSON.stringify({ ...held, version: 2 })],
    ['a wrong field type', JSON.stringify({ ...held, call: { ...held.call, holdSeq: 'two' } })],
    ['a negative duration', JSON.stringify({ ...held, call: { ...held.call, totalHeldMs: -5 } })],
    ['held without a start', JSON.stringify({ ...held, call: { ...held.call, heldSince: null } })],
    ['an array', '[]'],
  ])('starts afresh from %s', (_name, json) => {
    expect(restoreState(json, NOW)).toEqual(initialState());
  });

  it('drops a call left over from a browser closed mid-call', () => {
    expect(restoreState(JSON.stringify(held), NOW + MAX_CALL_AGE_MS + 1)).toEqual(initialState());
  });
});
