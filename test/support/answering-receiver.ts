// A real HTTP receiver for the delivery table test: answers every request to /hook the way it is
// told (a status with headers, no answer, or a dropped connection) and counts the requests, and
// counts any request that followed a redirect to /elsewhere.
import { createServer, type Server } from 'node:http';

export type Answering = { status: number; headers?: Record<string, string> } | 'hang' | 'reset';

export interface AnsweringReceiver {
  url: string;
  answering: Answering;
  /** Requests to the receiver's own path. */
  tries: number;
  /** Requests that followed a redirect: none may. */
  followed: number;
  close(): Promise<void>;
}

export async function startAnsweringReceiver(): Promise<AnsweringReceiver> {
  const receiver: AnsweringReceiver = {
    url: '',
    answering: { status: 204 },
    tries: 0,
    followed: 0,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    if (req.url !== '/hook') {
      receiver.followed++;
      return void res.writeHead(204).end();
    }
    receiver.tries++;
    const answering = receiver.answering;
    if (answering === 'hang') return;
    if (answering === 'reset') return void req.socket.destroy();
    req.on('end', () => res.writeHead(answering.status, answering.headers).end());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  receiver.url = `http://127.0.0.1:${port}/hook`;
  receiver.close = () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  return receiver;
}
