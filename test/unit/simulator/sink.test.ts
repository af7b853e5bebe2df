import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { WebhookSink } from '../../../src/simulator/sink.ts';

const SECRET = `whsec_${Buffer.from('a-test-secret-of-at-least-24-bytes').toString('base64')}`;
let server: Server | undefined;

async function serve(sink: WebhookSink): Promise<string> {
  server = createServer((req, res) => void sink.handle(req, res));
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/sink`;
}

function signed(id: string, body: string, secret = SECRET): Record<string, string> {
  const timestamp = new Date();
  const signature = new Webhook(secret).sign(id, timestamp, body);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
});

describe('the simulator webhook sink', () => {
  it('answers 200 to a correctly signed event and counts a retry of the same id as a duplicate', async () => {
    const sink = new WebhookSink(SECRET);
    const url = await serve(sink);
    const body = JSON.stringify({ type: 'hold.started', data: { callId: 'c1' } });
    expect((await fetch(url, { method: 'POST', headers: signed('evt_1', body), body })).status).toBe(200);
    expect((await fetch(url, { method: 'POST', headers: signed('evt_1', body), body })).status).toBe(200);
    expect(sink.summary()).toEqual({ attempts: 2, delivered: 2, uniqueDelivered: 1, duplicates: 1, badSignatures: 0 });
    expect(sink.delivered()).toEqual([{ type: 'hold.started', data: { callId: 'c1' } }]);
  });

  it('refuses a wrong signature with 400', async () => {
    const sink = new WebhookSink(SECRET);
    const url = await serve(sink);
    const body = JSON.stringify({ type: 'hold.started', data: {} });
    const other = `whsec_${Buffer.from('another-secret-of-at-least-24-bytes').toString('base64')}`;
    expect((await fetch(url, { method: 'POST', headers: signed('evt_2', body, other), body })).status).toBe(400);
    expect(sink.attempts[0]).toMatchObject({ verified: false, status: 400 });
  });

  it('fails with 503 when told to, and answers the CORS preflight for the webhook headers', async () => {
    const sink = new WebhookSink(null);
    const url = await serve(sink);
    sink.setMode('fail');
    expect((await fetch(url, { method: 'POST', body: '{"type":"hold.ended","data":{}}' })).status).toBe(503);
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://localhost:8080' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('webhook-signature');
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
  });

  it('hangs until it is told to recover, then drops the hanging request', async () => {
    const sink = new WebhookSink(null);
    const url = await serve(sink);
    sink.setMode('hang');
    const pending = fetch(url, { method: 'POST', body: '{"type":"hold.ended","data":{}}' }).then(
      () => 'answered',
      () => 'dropped',
    );
    await expect.poll(() => sink.attempts.length).toBe(1);
    sink.setMode('ok');
    expect(await pending).toBe('dropped');
    expect(sink.attempts[0]?.status).toBe(0);
  });
});
