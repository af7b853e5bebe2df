import { describe, expect, it } from 'vitest';
import { formatAnswer, parseAppMessage } from '../../../src/simulator/page/protocol.ts';

describe('the portal splits an app frame message', () => {
  it('takes method, params, callback and APP_SID from the string form', () => {
    expect(parseAppMessage('placementBindEvent:{"event":"BackgroundCallCard::holdButtonClick"}:cb1:sid9')).toEqual({
      method: 'placementBindEvent',
      params: { event: 'BackgroundCallCard::holdButtonClick' },
      callback: 'cb1',
      appSid: 'sid9',
    });
  });

  it('omits params when the message has none', () => {
    expect(parseAppMessage('getInitData:cb2:sid9')).toEqual({
      method: 'getInitData',
      params: {},
      callback: 'cb2',
      appSid: 'sid9',
    });
  });

  it('keeps colons inside the params JSON', () => {
    const parsed = parseAppMessage('CallCardSetStatusText:{"statusText":"On hold 0:05"}:cb3:sid9');
    expect(parsed).toMatchObject({ params: { statusText: 'On hold 0:05' }, callback: 'cb3' });
  });

  it('accepts the object form', () => {
    expect(parseAppMessage({ method: 'refreshAuth', params: '', callback: 'cb4', appSid: 'sid9' })).toEqual({
      method: 'refreshAuth',
      params: {},
      callback: 'cb4',
      appSid: 'sid9',
    });
  });

  it.each([
    ['two pieces', 'getInitData:sid9'],
    ['broken params', 'setUserOption:{oops:cb:sid9'],
    ['params that are not an object', 'setUserOption:[1]:cb:sid9'],
    ['no APP_SID', 'getInitData:cb:'],
    ['a number', 42],
    ['an object without callback', { method: 'getInitData', appSid: 'x' }],
  ])('refuses %s', (_name, data) => {
    expect(typeof parseAppMessage(data)).toBe('string');
  });
});

describe('the portal answers a frame', () => {
  it('posts the callback key and the JSON result', () => {
    expect(formatAnswer('cb1', [])).toBe('cb1:[]');
    expect(formatAnswer('cb1', { a: 'x:y' })).toBe('cb1:{"a":"x:y"}');
  });

  it('leaves nothing after the colon for an undefined result', () => {
    expect(formatAnswer('cb1', undefined)).toBe('cb1:');
  });
});
