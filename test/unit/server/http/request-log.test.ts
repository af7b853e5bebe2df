// The request log: one line per request, never the query string.
import { describe, expect, it } from 'vitest';
import { useDistServer } from './dist-server.ts';

describe('request log', () => {
  const running = useDistServer({ LOG_FORMAT: 'json' });

  it('logs one JSON object per request without the query string when LOG_FORMAT=json', async () => {
    await (await fetch(running.url('/healthz?token=abc'))).text();
    await running.logged(/healthz/);
    expect(running.lines.map((l) => JSON.parse(l))).toEqual([
      {
        time: expect.any(String),
        level: 'info',
        method: 'GET',
        path: '/healthz',
        status: 200,
        bytes: expect.any(Number),
        ms: expect.any(Number),
      },
    ]);
  });
});
