import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { StrictCallContextSchema } from '../../../src/contract/event.ts';
import { CONTEXT_TEXT_LIMITS as TEXT_LIMITS } from '../../../src/contract/limits.ts';
import {
  isConnectedCall,
  isSafelyMarker,
  parseHoldPayload,
  parseInitializedPayload,
} from '../../../src/portal/payloads.ts';
import { CONTEXT, INITIALIZED_PAYLOAD } from '../../support/fixtures.ts';

describe('card event payloads', () => {
  it('accepts the booleans of a hold click', () => {
    expect(parseHoldPayload(true)).toEqual({ ok: true, value: true });
    expect(parseHoldPayload(false)).toEqual({ ok: true, value: false });
  });

  it.each([
    ['a string', 'held', 'the string "held"'],
    ['the string "true"', 'true', 'the string "true"'],
    ['a number', 1, 'the number 1'],
    ['null', null, 'null'],
    ['an object', { held: true }, 'an object'],
    ['an array', [true], 'an array'],
    ['nothing', undefined, 'nothing'],
    ['an empty argument', '', 'nothing'],
  ])('refuses %s as a hold state, saying what came', (_name, arg, described) => {
    expect(parseHoldPayload(arg)).toEqual({ ok: false, reason: `expected a boolean, got ${described}` });
  });

  it('reads the call context of initialized', () => {
    expect(parseInitializedPayload(INITIALIZED_PAYLOAD)).toEqual({ ok: true, value: CONTEXT });
  });

  it('turns absent and empty values into null, never a made-up value', () => {
    const parsed = parseInitializedPayload({
      CALL_ID: 'C1',
      LINE_NUMBER: '',
      CRM_ENTITY_TYPE: '',
      CRM_ENTITY_ID: 0,
      CRM_ACTIVITY_ID: '',
      CALL_DIRECTION: 'outgoing',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        callId: 'C1',
        phoneNumber: null,
        lineNumber: null,
        direction: 'outgoing',
        crmEntityType: null,
        crmEntityId: null,
        crmActivityId: null,
      },
    });
  });

  it('reads numeric ids sent as strings', () => {
    const parsed = parseInitializedPayload({ ...INITIALIZED_PAYLOAD, CRM_ENTITY_ID: '123', CRM_ACTIVITY_ID: '456' });
    expect(parsed.ok && [parsed.value.crmEntityId, parsed.value.crmActivityId]).toEqual([123, 456]);
  });

  it("bounds long texts to the contract's limits, so the server never refuses the event for them", () => {
    const long = (n: number) => 'x'.repeat(n);
    const parsed = parseInitializedPayload({
      CALL_ID: long(10_000),
      PHONE_NUMBER: long(300),
      LINE_NUMBER: long(300),
      CALL_DIRECTION: long(300),
      CRM_ENTITY_TYPE: long(300),
    });
    if (!parsed.ok) throw new Error('expected the payload to parse');
    const { callId, phoneNumber, lineNumber, direction, crmEntityType } = parsed.value;
    expect([callId, phoneNumber, lineNumber, direction, crmEntityType].map((t) => t?.length)).toEqual([
      TEXT_LIMITS.callId,
      TEXT_LIMITS.phoneNumber,
      TEXT_LIMITS.lineNumber,
      TEXT_LIMITS.direction,
      TEXT_LIMITS.crmEntityType,
    ]);
    expect(v.safeParse(StrictCallContextSchema, parsed.value).success).toBe(true);
  });

  it("reads the call as connected only when initialized's CALL_STATE is connected", () => {
    expect(isConnectedCall({ ...INITIALIZED_PAYLOAD, CALL_STATE: 'connected' })).toBe(true);
    for (const state of ['connecting', 'incoming', 'connectingOutgoing', 'Connected', undefined, 1]) {
      expect(isConnectedCall({ ...INITIALIZED_PAYLOAD, CALL_STATE: state })).toBe(false);
    }
    expect(isConnectedCall('connected')).toBe(false);
  });

  it.each([
    ['a string', 'C1'],
    ['null', null],
    ['an array', [INITIALIZED_PAYLOAD]],
    ['an object without CALL_ID', { PHONE_NUMBER: '+1' }],
    ['an empty CALL_ID', { CALL_ID: '  ' }],
    ['a numeric CALL_ID', { CALL_ID: 5 }],
  ])('refuses %s as initialized', (_name, arg) => {
    expect(parseInitializedPayload(arg).ok).toBe(false);
  });

  it('tells the SDK silence marker from an event that fired', () => {
    expect(isSafelyMarker({ isSafely: true })).toBe(true);
    expect(isSafelyMarker(true)).toBe(false);
    expect(isSafelyMarker('')).toBe(false);
    expect(isSafelyMarker({ isSafely: true, CALL_ID: 'x' })).toBe(false);
  });
});
