import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from '../../../../src/app/report/sse.ts';

describe('the event stream reader', () => {
  it('gives each complete message, split anywhere, comments and keepalives skipped', () => {
    const seen: SseMessage[] = [];
    const parser = createSseParser((message) => seen.push(message));
    for (const piece of [
      ': keepalive\n\nevent: li',
      've\ndata: {"holding":',
      '[]}\n',
      '\n',
      'data: a\r\ndata: b\r\n\r\n',
    ])
      parser.push(piece);
    expect(seen).toEqual([
      { event: 'live', data: '{"holding":[]}' },
      { event: 'message', data: 'a\nb' },
    ]);
  });
});
