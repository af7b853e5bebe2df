import { describe, expect, it } from 'vitest';
import { parseFrameName } from '../../../src/portal/frame-name.ts';

describe('the worker frame name', () => {
  it('reads domain, protocol and APP_SID', () => {
    expect(parseFrameName('example.bitrix24.com|1|0a1b2c')).toEqual({
      domain: 'example.bitrix24.com',
      https: true,
      appSid: '0a1b2c',
    });
    expect(parseFrameName('127.0.0.1:8090|0|abc')).toEqual({ domain: '127.0.0.1:8090', https: false, appSid: 'abc' });
  });

  it.each([
    '',
    'some-window',
    'a|b',
    'host|2|sid',
    'host|1|',
    'ho st|1|sid',
    'host/path|1|sid',
    'host|1|sid|extra',
    'host|1|<script>',
  ])('says %j is not a portal frame', (name) => {
    expect(parseFrameName(name)).toBeNull();
  });
});
