// @vitest-environment node
// Clients that hold connections open without finishing a request (slowloris, slow bodies, idle sockets).
import { rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type ServerLimits } from '../../../../src/server/http/server.ts';
import { parseServerConfig } from '../../../../src/server/config.ts';
import { makeDist } from '../temp-dist.ts';

let dist = '';
let server: RunningServer;
const sockets: Socket[] = [];

async function start(limits?: Partial<ServerLimits>): Promise<void> {
  dist = makeDist();
  server = await startServer(
    parseServerConfig({ PORT: '0', HOST: '127.0.0.1', DIST_DIR: dist, LOG_FORMAT: 'none', STATS: 'off' }),
    () => undefined,
    limits,
  );
}

/** An open TCP connection and the moment the server closed it (null while open). */
async function open(): Promise<{ socket: Socket; closedAfterMs: () => number | null }> {
  const socket = connect(server.port, '127.0.0.1');
  sockets.push(socket);
  const started = performance.now();
  let closedAt: number | null = null;
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closedAt = performance.now();
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, closedAfterMs: () => (closedAt === null ? null : closedAt - started) };
}

/** Writes one piece of `text` every `everyMs`, as a slow client would. */
function dribble(socket: Socket, text: string, everyMs: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (at >= text.length || socket.destroyed) return clearInterval(timer);
    socket.write(text[at] ?? '');
    at += 1;
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('slow and idle clients', () => {
  it('closes connections that dribble headers or a body within seconds, while others are served', async () => {
    await start();
    const slowHeaders = await open();
    dribble(slowHeaders.socket, `GET / HTTP/1.1\r\nHost: x\r\n${'X-Pad: 1\r\n'.repeat(100)}\r\n`, 200);
    const slowBody = await open();
    slowBody.socket.write(
      'POST /placement-error HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9000\r\n\r\n',
    );
    dribble(slowBody.socket, `error=E&pad=${'a'.repeat(8988)}`, 200);
    const idle = await open();

    expect((await fetch(`${server.url}healthz`)).status).toBe(200);
    await expect.poll(() => slowHeaders.closedAfterMs(), { timeout: 8000, interval: 100 }).not.toBeNull();
    expect(slowHeaders.closedAfterMs()).toBeLessThan(7000);
    // Each connection's deadline is spread on its own, so the idle one may close before or after.
    await expect.poll(() => idle.closedAfterMs(), { timeout: 8000, interval: 100 }).not.toBeNull();
    expect(idle.closedAfterMs()).toBeLessThan(7000);
    await expect.poll(() => slowBody.closedAfterMs(), { timeout: 13_000, interval: 100 }).not.toBeNull();
    expect(slowBody.closedAfterMs()).toBeLessThan(12_000);
  }, 20_000);

  it('spreads the closing of idle connections opened together, so a burst does not time out in one go', async () => {
    await start({ headersTimeoutMs: 2000 });
    const idle = await Promise.all(Array.from({ length: 20 }, () => open()));
    await expect.poll(() => idle.every((c) => c.closedAfterMs() !== null), { timeout: 4000, interval: 50 }).toBe(true);
    const closedAfter = idle.map((c) => c.closedAfterMs() ?? 0);
    expect(Math.min(...closedAfter)).toBeGreaterThanOrEqual(900);
    expect(Math.max(...closedAfter)).toBeLessThan(2600);
    expect(Math.max(...closedAfter) - Math.min(...closedAfter)).toBeGreaterThan(200);
  });

  it('spreads the closing of connections that dribble headers, opened together, each answered 408 before the sweep of Node would close them together', async () => {
    await start({ headersTimeoutMs: 2000 });
    const slow = await Promise.all(Array.from({ length: 20 }, () => open()));
    const answers = slow.map(({ socket }) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      return () => text;
    });
    for (const { socket } of slow)
      dribble(socket, `GET / HTTP/1.1\r\nHost: x\r\n${'X-Pad: 1\r\n'.repeat(100)}\r\n`, 100);
    await expect.poll(() => slow.every((c) => c.closedAfterMs() !== null), { timeout: 4000, interval: 50 }).toBe(true);
    const closedAfter = slow.map((c) => c.closedAfterMs() ?? 0);
    expect(Math.min(...closedAfter)).toBeGreaterThanOrEqual(900);
    expect(Math.max(...closedAfter)).toBeLessThan(2100);
    expect(Math.max(...closedAfter) - Math.min(...closedAfter)).toBeGreaterThan(200);
    expect(answers.map((text) => text().split('\r\n')[0])).toEqual(slow.map(() => 'HTTP/1.1 408 Request Timeout'));
  });

  it('refuses connections beyond its maximum at once, and serves again when they go', async () => {
    await start({ maxConnections: 3 });
    const held = [await open(), await open(), await open()];
    const extra = await open();
    await expect.poll(() => extra.closedAfterMs(), { timeout: 2000 }).not.toBeNull();
    expect(held.map((c) => c.closedAfterMs())).toEqual([null, null, null]);
    for (const connection of held) connection.socket.destroy();
    await expect.poll(async () => (await fetch(`${server.url}healthz`)).status).toBe(200);
  });
});
