// Swarms of abusive clients on loopback: each keeps `size` connections open to the server, in one of
// three ways, and opens a new one whenever the server closes one, until stopped.
// - idle: connects and sends nothing;
// - slow-headers: sends a request line, then one header byte at a time;
// - slow-body: sends the headers of a chunked POST / (a body the server must read before it answers),
//   then one byte-long chunk at a time.
import { connect, type Socket } from 'node:net';

export type SwarmKind = 'idle' | 'slow-headers' | 'slow-body';

export interface SwarmFigures {
  kind: SwarmKind;
  size: number;
  /** Connections opened in all (the server closing one makes the swarm open another). */
  opened: number;
  /** Connections the server closed, and how long after they were established (ms), median and max. */
  closedByServer: number;
  closeAfterMs: { p50: number; max: number } | null;
  /** Client-side errors by code: EMFILE means this process ran out of file descriptors. */
  errors: Record<string, number>;
}

export interface Swarm {
  figures(): SwarmFigures;
  stop(): void;
}

const REQUEST_START: Record<SwarmKind, string> = {
  idle: '',
  'slow-headers': 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n',
  'slow-body':
    'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n',
};
const DRIBBLE: Record<SwarmKind, string> = { idle: '', 'slow-headers': 'X', 'slow-body': '1\r\na\r\n' };
const FD_BACKOFF_MS = 1000;
const MAX_SAMPLES = 20_000;

/** Starts `size` connections to 127.0.0.1:`port`, `openPerTick` per 10 ms, dribbling every `dribbleMs`. */
export function startSwarm(kind: SwarmKind, size: number, port: number, dribbleMs: number, openPerTick = 100): Swarm {
  const sockets = new Set<Socket>();
  const closeTimes: number[] = [];
  const errors: Record<string, number> = {};
  let opened = 0;
  let closedByServer = 0;
  let stopped = false;

  const open = (): void => {
    if (stopped) return;
    let connectedAt: number | null = null;
    const socket = connect({ port, host: '127.0.0.1' });
    let failed = false;
    opened += 1;
    sockets.add(socket);
    socket.on('connect', () => {
      connectedAt = performance.now();
      if (REQUEST_START[kind]) socket.write(REQUEST_START[kind]);
      if (!DRIBBLE[kind]) return;
      const dribble = setInterval(() => socket.write(DRIBBLE[kind]), dribbleMs);
      socket.once('close', () => clearInterval(dribble));
    });
    socket.on('data', () => undefined);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      failed = true;
      const code = error.code ?? 'unknown';
      errors[code] = (errors[code] ?? 0) + 1;
    });
    socket.once('close', () => {
      sockets.delete(socket);
      if (stopped) return;
      if (!failed && connectedAt !== null) {
        closedByServer += 1;
        if (closeTimes.length < MAX_SAMPLES) closeTimes.push(performance.now() - connectedAt);
      }
      // Out of file descriptors here: back off instead of spinning.
      setTimeout(open, failed ? FD_BACKOFF_MS : 0);
    });
    socket.on('end', () => socket.end());
  };

  let started = 0;
  const ramp = setInterval(() => {
    for (let i = 0; i < openPerTick && started < size; i += 1, started += 1) open();
    if (started >= size) clearInterval(ramp);
  }, 10);

  return {
    figures() {
      const sorted = [...closeTimes].sort((a, b) => a - b);
      const at = (q: number): number =>
        Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
      return {
        kind,
        size,
        opened,
        closedByServer,
        closeAfterMs: sorted.length ? { p50: at(0.5), max: at(1) } : null,
        errors: { ...errors },
      };
    },
    stop() {
      stopped = true;
      clearInterval(ramp);
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}
