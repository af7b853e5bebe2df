// Ingest load: each operator sends its hold events one batch at a time, either
// paced so that all together send `ratePerSec`, or back to back. Bounded in time; loopback only.
import { Agent, request } from 'node:http';
import { percentile, round } from './stats.ts';

export interface IngestFigures {
  events: number;
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface IngestLoad {
  base: string;
  domain: string;
  tokens: string[];
  /** null: as fast as the server answers. */
  ratePerSec: number | null;
  seconds: number;
  /** Events per request; default 1. An outbox catching up sends several. */
  batch?: number;
}

let run = 0;

/** The n-th event of one operator: hold.started and hold.ended in turn, three holds a call. */
function eventOf(operator: string, n: number): Record<string, unknown> {
  const holdSeq = Math.ceil(n / 2);
  const started = n % 2 === 1;
  return {
    id: `${operator}-${n}`,
    type: started ? 'hold.started' : 'hold.ended',
    timestamp: new Date().toISOString(),
    data: {
      held: started,
      callId: `${operator}-call-${Math.ceil(holdSeq / 3)}`,
      holdSeq,
      phoneNumber: '+19001234567',
      ...(started ? {} : { heldMs: 1000, endedBy: 'resume' }),
    },
  };
}

/**
 * One batch per operator, not measured: the server checks each new token with the portal once and
 * then for its lifetime (an hour) answers from its cache, so steady ingest never waits on it.
 */
export async function verifyOperators(load: Pick<IngestLoad, 'base' | 'domain' | 'tokens'>): Promise<void> {
  const prefix = `warm-${Date.now().toString(36)}`;
  await Promise.all(
    load.tokens.map(async (token, index) => {
      const res = await fetch(`${load.base}/api/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'x-portal-domain': load.domain,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          events: [
            {
              ...eventOf(`${prefix}-${index}`, 1),
              type: 'call.summary',
              data: { held: false, callId: `${prefix}-${index}`, holdCount: 0 },
            },
          ],
        }),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`warming up: the server answered ${res.status}`);
    }),
  );
}

/**
 * POSTs a body and resolves to the status. node:http on kept-alive connections, not fetch: on a
 * 2-core machine that also runs the server, fetch's own CPU (web streams, a Request and a Response
 * per call) was half a core at 200 requests/s, taken from the server being measured.
 */
function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

export async function ingestLoad(load: IngestLoad): Promise<IngestFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: load.tokens.length });
  const url = new URL(`${load.base}/api/events`);
  try {
    return await runLoad(load, agent, url);
  } finally {
    agent.destroy();
  }
}

async function runLoad(load: IngestLoad, agent: Agent, url: URL): Promise<IngestFigures> {
  const samples: number[] = [];
  const batch = load.batch ?? 1;
  let stored = 0;
  let errors = 0;
  const prefix = `r${++run}-${Date.now().toString(36)}`;
  const started = performance.now();
  const deadline = started + load.seconds * 1000;
  const intervalMs = load.ratePerSec === null ? 0 : (load.tokens.length * 1000) / load.ratePerSec;

  const operator = async (token: string, index: number): Promise<void> => {
    // Spread the operators' first sends over one interval, so the load is steady, not in waves.
    let next = started + (intervalMs * index) / load.tokens.length;
    for (let seq = 1; ; seq++) {
      if (intervalMs > 0) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        next += intervalMs;
      }
      if (performance.now() >= deadline) return;
      const events = Array.from({ length: batch }, (_, i) => eventOf(`${prefix}-${index}`, (seq - 1) * batch + i + 1));
      const sent = performance.now();
      try {
        const status = await post(
          agent,
          url,
          { authorization: `Bearer ${token}`, 'x-portal-domain': load.domain, 'content-type': 'application/json' },
          JSON.stringify({ events }),
        );
        if (status === 200) {
          samples.push(performance.now() - sent);
          stored += batch;
        } else errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(load.tokens.map(operator));
  const elapsedS = (performance.now() - started) / 1000;
  return {
    events: stored,
    eventsPerSec: Math.round(stored / elapsedS),
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    errors,
  };
}
