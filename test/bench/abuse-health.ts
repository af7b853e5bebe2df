// The abuse run's health checks: GET /healthz every 50 ms, three ways at once: on a new connection
// each time to the main port, as a client reaching the server directly (it waits in the kernel's
// accept queue behind every connection the attackers opened before it); on one kept-alive
// connection, as the proxy in front reaches it; and on a new connection each time to HEALTH_PORT, as
// an orchestrator's probe does. Summarised as percentiles and the moments that were slow.
import { Agent, request } from 'node:http';

export const HEALTH_EVERY_MS = 50;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface HealthFigures {
  polls: number;
  failures: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  over100Ms: number;
  /** When the checks that took 100 ms or more (or failed) started, in seconds into the phase. */
  slowAtS: number[];
}

/** The three ways of checking, side by side. */
export interface HealthPair {
  newConnection: HealthFigures;
  keptAlive: HealthFigures;
  healthPort: HealthFigures;
}

interface Polls {
  latencies: number[];
  failures: number;
  /** When the checks that took 100 ms or more (or failed) started, in seconds. */
  slowAtS: number[];
}

/** Polls /healthz the three ways every HEALTH_EVERY_MS for `seconds`. */
export async function pollAllWays(port: number, healthPort: number, seconds: number): Promise<HealthPair> {
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const [fresh, reused, probe] = await Promise.all([
      pollFor(port, seconds, false),
      pollFor(port, seconds, keepAlive),
      pollFor(healthPort, seconds, false),
    ]);
    return { newConnection: summary(fresh), keptAlive: summary(reused), healthPort: summary(probe) };
  } finally {
    keepAlive.destroy();
  }
}

/** Polls /healthz every HEALTH_EVERY_MS for `seconds`, through `agent` (false: a new connection each time). */
async function pollFor(port: number, seconds: number, agent: Agent | false): Promise<Polls> {
  const polls: Polls = { latencies: [], failures: 0, slowAtS: [] };
  const startedAt = performance.now();
  while (performance.now() - startedAt < seconds * 1000) {
    const next = performance.now() + HEALTH_EVERY_MS;
    const at = Math.round(performance.now() - startedAt) / 1000;
    const ms = await pollHealth(port, agent);
    if (ms === null) polls.failures += 1;
    else polls.latencies.push(ms);
    if (ms === null || ms >= 100) polls.slowAtS.push(at);
    await sleep(Math.max(0, next - performance.now()));
  }
  return polls;
}

function summary(polls: Polls): HealthFigures {
  const sorted = [...polls.latencies].sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
  const over100Ms = polls.latencies.filter((l) => l >= 100).length;
  return {
    polls: polls.latencies.length + polls.failures,
    failures: polls.failures,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
    over100Ms,
    slowAtS: polls.slowAtS,
  };
}

/** One GET /healthz: ms to a complete 200, or null. */
export function pollHealth(port: number, agent: Agent | false = false): Promise<number | null> {
  const started = performance.now();
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200 ? performance.now() - started : null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(null));
    req.end();
  });
}
