// @vitest-environment node
// The server killed outright (SIGKILL: the out-of-memory killer, `kill -9`, a crashed container)
// while operators' batches are being stored, on the embedded database: every batch it answered 200
// is there when it starts again. Page cache included; the power-cut half is the fsync test of
// test/unit/server/db/pglite-durability.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src/server/db/index.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/server.ts';
import { OPERATORS } from '../../../src/simulator/directory.ts';
import { freshPgliteDir } from '../../support/pglite-template.ts';
import { makeDist } from './temp-dist.ts';

const SERVER_MAIN = resolve(import.meta.dirname, '../../../src/server/main.ts');
const scratch = mkdtempSync(join(tmpdir(), 'relay-kill-'));
const dataDir = join(scratch, 'data');
const dist = makeDist();
let sim: Simulator;
let server: ChildProcess | null = null;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, host: '127.0.0.1', appUrl: 'http://localhost:1/', option: null });
  await freshPgliteDir(dataDir);
}, 120_000);
afterEach(() => {
  server?.kill('SIGKILL');
  server = null;
});
afterAll(async () => {
  await sim.close();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
});

/** `node src/server/main.ts` as `npm run serve` runs it; resolves to its base URL once it listens. */
async function startServer(): Promise<string> {
  let output = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', SERVER_MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_FORMAT: 'none',
      STATS: 'on',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      PORTAL_ORIGINS: sim.origin,
      DIST_DIR: dist,
      WARM_UP_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = proc;
  proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const port = await vi.waitFor(
    () => {
      if (proc.exitCode !== null) throw new Error(`the server exited: ${output}`);
      const said = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (!said) throw new Error(`the server has not said where it listens yet: ${output}`);
      return Number(said[1]);
    },
    { timeout: 60_000, interval: 50 },
  );
  return `http://127.0.0.1:${port}`;
}

function exited(proc: ChildProcess): Promise<void> {
  return new Promise((done) =>
    proc.exitCode !== null || proc.signalCode !== null ? done() : proc.once('exit', () => done()),
  );
}

/** One operator's hold events, a batch at a time, until the server stops answering; the ids of each batch answered 200 go to `answered`. */
async function sendUntilGone(base: string, operatorIndex: number, answered: string[]): Promise<void> {
  const operator = OPERATORS[operatorIndex];
  if (!operator) throw new Error(`the simulator has no operator ${operatorIndex}`);
  const token = sim.rest.grant(operator).AUTH_ID;
  for (let batch = 0; ; batch++) {
    const events = [1, 2].map((n) => {
      const id = `kill-${operator.id}-${batch}-${n}`;
      const started = n === 1;
      const data = {
        held: started,
        callId: `kill-call-${operator.id}-${batch}`,
        holdSeq: 1,
        ...(started ? {} : { heldMs: 1000, endedBy: 'resume' }),
      };
      return { id, type: started ? 'hold.started' : 'hold.ended', timestamp: new Date().toISOString(), data };
    });
    let status: number;
    try {
      const res = await fetch(`${base}/api/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'x-portal-domain': new URL(sim.origin).host,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ events }),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      return; // the server is gone: this batch was never answered
    }
    if (status === 200) answered.push(...events.map((e) => e.id));
    else if (status !== 429 && status !== 503) throw new Error(`the server answered ${status}`);
  }
}

describe('the server killed during ingest', () => {
  it('keeps every batch it answered 200 when SIGKILL stops it mid-ingest, and starts again on the same DATA_DIR', async () => {
    const base = await startServer();
    const killed = server as ChildProcess;
    const answered: string[] = [];
    const senders = [0, 1, 2, 3].map((i) => sendUntilGone(base, i, answered));
    await vi.waitFor(() => expect(answered.length).toBeGreaterThanOrEqual(200), { timeout: 60_000, interval: 10 });
    killed.kill('SIGKILL');
    await Promise.all(senders);
    await exited(killed);
    expect(killed.signalCode).toBe('SIGKILL');

    const again = await startServer();
    expect((await fetch(`${again}/healthz`)).status).toBe(200);
    const restarted = server as ChildProcess;
    restarted.kill('SIGTERM');
    await exited(restarted);

    const db = await openDatabase({ databaseUrl: null, dataDir });
    try {
      const rows = await db.query<{ event_id: string }>('SELECT event_id FROM events WHERE portal = $1', [
        new URL(sim.origin).host,
      ]);
      const stored = new Set(rows.map((row) => row.event_id));
      expect(answered.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await db.close();
    }
  }, 180_000);
});
