// A listener of its own for `/healthz` (env HEALTH_PORT), for an orchestrator's or a monitor's probe
// that opens a new connection each time. On the main port such a probe waits in the kernel's accept
// queue behind every connection opened before it: one process accepts some thousands a second, so
// clients opening connections faster than that (the abuse run opens 6,000 in about half a second)
// keep a probe there for over 100 ms. This port has a queue of its own, which only probes use.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { armDeadlines } from './deadlines.ts';
import { sendJson, sendText } from './http-io.ts';

/** What `/healthz` answers on either port. */
export function healthReport(startedAt: number): { status: 'ok'; uptimeS: number } {
  return { status: 'ok', uptimeS: Math.round((Date.now() - startedAt) / 1000) };
}

export interface HealthListener {
  port: number;
  close(): Promise<void>;
}

/** A probe needs one connection at a time; these bound what anyone else can hold on this port. */
const HEALTH_LIMITS = { maxConnections: 64, headersTimeoutMs: 2000, requestTimeoutMs: 2000, backlog: 64 } as const;

/** Listens on `host`:`port` (0: a free one) and answers GET and HEAD /healthz, with `headers` on every answer. */
export async function listenHealth(
  host: string,
  port: number,
  headers: Iterable<readonly [string, string]>,
  startedAt: number,
): Promise<HealthListener> {
  const fixed = [...headers];
  const server = http.createServer(
    {
      headersTimeout: HEALTH_LIMITS.headersTimeoutMs,
      requestTimeout: HEALTH_LIMITS.requestTimeoutMs,
      keepAliveTimeout: 5000,
      noDelay: true,
    },
    (req, res) => {
      for (const [name, value] of fixed) res.setHeader(name, value);
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/healthz') return sendText(res, 404, 'Not found: this port answers /healthz only.');
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendText(res, 405, 'Method not allowed. Allowed: GET, HEAD.', { Allow: 'GET, HEAD' });
      sendJson(res, 200, healthReport(startedAt));
    },
  );
  server.maxConnections = HEALTH_LIMITS.maxConnections;
  armDeadlines(server, HEALTH_LIMITS);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: HEALTH_LIMITS.backlog }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
