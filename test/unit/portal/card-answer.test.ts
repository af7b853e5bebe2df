import { describe, expect, it } from 'vitest';
import { decodeCardAnswer } from '../../../src/portal/card-answer.ts';

describe('card command answers', () => {
  it('reads [] as success and keeps data answers', () => {
    expect(decodeCardAnswer([])).toEqual({ ok: true, value: [] });
    expect(decodeCardAnswer(['idle', 'connected'])).toEqual({ ok: true, value: ['idle', 'connected'] });
  });

  it('reads the portal error codes', () => {
    expect(decodeCardAnswer([{ result: 'error', errorCode: 'Call card is undefined' }])).toEqual({
      ok: false,
      error: 'Call card is undefined',
    });
    expect(decodeCardAnswer([{ result: 'error', errorCode: 'Invalid ui state' }])).toEqual({
      ok: false,
      error: 'Invalid ui state',
    });
    expect(decodeCardAnswer([{ result: 'error' }])).toEqual({ ok: false, error: 'unknown error' });
  });

  it('reads the SDK silence marker as no answer', () => {
    expect(decodeCardAnswer({ isSafely: true })).toEqual({
      ok: false,
      error: 'no answer from the portal within 900 ms',
    });
  });
});
