// A receiver for server-side webhooks in tests: the simulator's sink (it verifies Standard Webhooks
// signatures) on its own port, with an optional override that answers any status.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebhookSink } from '../../src/simulator/sink.ts';

export interface Receiver {
  url: string;
  sink: WebhookSink;
  /** When set, answers this status (after the sink recorded and verified the request). */
  status: number | null;
  /** Every request's Standard Webhooks headers, in order. */
  headers: { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string }[];
  close(): Promise<void>;
}

export async function startReceiver(secret: string | null = null): Promise<Receiver> {
  const sink = new WebhookSink(secret);
  const receiver: Receiver = { url: '', sink, status: null, headers: [], close: async () => undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const header = (name: string) => String(req.headers[name] ?? '');
    receiver.headers.push({
      'webhook-id': header('webhook-id'),
      'webhook-timestamp': header('webhook-timestamp'),
      'webhook-signature': header('webhook-signature'),
    });
    if (receiver.status === null) return void sink.handle(req, res);
    const status = receiver.status;
    // Recorded and verified as the sink does, then answered with the chosen status.
    const writeHead = res.writeHead.bind(res);
    res.writeHead = ((_code: number, ...rest: unknown[]) => writeHead(status, ...(rest as []))) as typeof res.writeHead;
    void sink.handle(req, res).then(() => {
      const last = sink.attempts.at(-1);
      if (last) last.status = status;
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  receiver.url = `http://127.0.0.1:${port}/hook`;
  receiver.close = () =>
    new Promise<void>((done) => {
      sink.close();
      server.closeAllConnections();
      server.close(() => done());
    });
  return receiver;
}
