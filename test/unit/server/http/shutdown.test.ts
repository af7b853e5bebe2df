// Closing the server: a request in flight is answered, then nothing more is accepted.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { NOTICE, useDistServer } from './dist-server.ts';

describe('shutdown', () => {
  const running = useDistServer();
  const { url } = running;

  it('finishes a request in flight when closed, then stops accepting', async () => {
    let inFlight: () => void = () => undefined;
    const headersRead = new Promise<void>((resolve) => (inFlight = resolve));
    // A notice is answered once its whole body is read (the worker page is answered at once, body or not).
    // With Expect: 100-continue the server says when it has read the headers: from then on the request is its own.
    const req = request(url('/placement-error'), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(NOTICE.length),
        expect: '100-continue',
      },
    });
    const response = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
    req.on('continue', inFlight);
    req.flushHeaders();
    await headersRead;
    req.write(NOTICE.slice(0, 10));
    const closed = running.server.close();
    // The rest of the body comes once the server is closing: it takes no new connection by then.
    await expect
      .poll(() =>
        fetch(url('/healthz')).then(
          () => 'open',
          () => 'refused',
        ),
      )
      .toBe('refused');
    req.end(NOTICE.slice(10));
    expect(await response).toBe(200);
    await closed;
    await expect(fetch(url('/healthz'))).rejects.toThrow();
  });
});
