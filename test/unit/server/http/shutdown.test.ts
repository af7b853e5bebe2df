// Closing the server: a request in flight is answered, then nothing more is accepted.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { PORTAL_FORM, useDistServer } from './dist-server.ts';

describe('shutdown', () => {
  const running = useDistServer();
  const { url } = running;

  it('finishes a request in flight when closed, then stops accepting', async () => {
    let inFlight: () => void = () => undefined;
    const headersRead = new Promise<void>((resolve) => (inFlight = resolve));
    // With Expect: 100-continue the server says when it has read the headers: from then on the request is its own.
    const req = request(url('/'), { method: 'POST', headers: { 'content-length': String(PORTAL_FORM.length), expect: '100-continue' } });
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
    req.write(PORTAL_FORM.slice(0, 10));
    const closed = running.server.close();
    req.end(PORTAL_FORM.slice(10));
    expect(await response).toBe(200);
    await closed;
    await expect(fetch(url('/healthz'))).rejects.toThrow();
  });
});
