// Per-connection deadlines for slow clients, each drawn anywhere in the second half of its limit.
// Node's own headersTimeout and requestTimeout stay as the backstop, but Node checks them in one
// sweep every half second: hundreds of connections an attacker opened together expire in the same
// sweep, and answering and closing them all in one turn of the event loop blocked it for up to
// 140 ms in the abuse run. These close them at spread moments instead, before the sweep.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface DeadlineLimits {
  /** From the connection to the end of its first request's headers. */
  headersTimeoutMs: number;
  /** From the end of a request's headers to the end of its body. */
  requestTimeoutMs: number;
}

/** What Node itself answers when a request times out, before it closes the connection. */
const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

/**
 * Node keeps one timer list per distinct duration; whole steps of this many ms keep the lists few
 * (a fractional duration each made thousands of lists, about 5 µs per connection instead of 1.5).
 */
const SPREAD_STEP_MS = 10;

/** Anywhere in the second half of `ms`, so connections opened together do not expire together. */
const spread = (ms: number): number =>
  Math.max(SPREAD_STEP_MS, Math.round((ms * (0.5 + Math.random() / 2)) / SPREAD_STEP_MS) * SPREAD_STEP_MS);

/**
 * Later requests on a kept-alive connection keep Node's own checks: their time for headers starts
 * with their first byte, which only Node's parser sees.
 */
export function armDeadlines(server: Server, limits: DeadlineLimits): void {
  const timers = new WeakMap<Socket, NodeJS.Timeout>();
  const arm = (socket: Socket, ms: number, answered: () => boolean): NodeJS.Timeout => {
    clearTimeout(timers.get(socket));
    const timer = setTimeout(() => {
      timers.delete(socket);
      if (socket.destroyed) return;
      // A connection that sent nothing gets no answer, as from Node's own idle timeout.
      if (socket.bytesRead > 0 && !answered()) socket.write(REQUEST_TIMEOUT);
      socket.destroy();
    }, ms);
    timers.set(socket, timer);
    return timer;
  };
  const disarm = (socket: Socket, timer = timers.get(socket)): void => {
    if (timer === undefined || timers.get(socket) !== timer) return;
    clearTimeout(timer);
    timers.delete(socket);
  };

  server.on('connection', (socket: Socket) => {
    arm(socket, spread(limits.headersTimeoutMs), () => false);
    socket.once('close', () => disarm(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const { socket } = req;
    disarm(socket);
    const length = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (!hasBody || req.complete) return;
    const timer = arm(socket, spread(limits.requestTimeoutMs), () => res.headersSent);
    req.once('end', () => disarm(socket, timer));
  });
}
