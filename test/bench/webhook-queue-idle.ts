// The webhook queue with nothing it can deliver: 20,000 and 60,000 deliveries wait behind receivers
// that answer 503 (each call's first event in its back-off, the rest behind it), and no traffic comes in.
// Prints the idle server's CPU use (process.cpuUsage over a few seconds: the server, its embedded
// database's thread and this script, which only sleeps) and the ingest median of another portal.
// Works on any version of the server (it seeds the queue with SQL), so it measures before and after.
// Build first (npm run build). Run: npx tsx test/bench/webhook-queue-idle.ts [rows ...]
// Environment: BENCH_IDLE_SEC (5), BENCH_INGEST_POSTS (60).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/server/db/index.ts';
import { USERS } from '../../src/simulator/rest-portal.ts';
import { holdEvents } from '../support/hold-events.ts';
import { freshPgliteDir } from '../support/pglite-template.ts';
import { startStack } from '../support/stack.ts';
import { startReceiver } from '../support/webhook-receiver.ts';
import { percentile } from './stats.ts';

const EVENTS_PER_CALL = 5;
const ROWS_PER_WEBHOOK = 10_000;
const OTHER_PORTAL = 'other.bitrix24.com';
const idleSec = Number(process.env.BENCH_IDLE_SEC || 5);
const posts = Number(process.env.BENCH_INGEST_POSTS || 60);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Queues `rows` deliveries to `url` for another portal: calls of 5 events, the first of each failing
 * and due again within 5 minutes (the longest pause between tries), as after an hour of outage.
 */
async function seed(dataDir: string, rows: number, url: string): Promise<void> {
  const db = await openDatabase({ databaseUrl: null, dataDir });
  try {
    // A server with a cap on pending deliveries (migration 007) would drop rows beyond it: lift it here.
    const [capped] = await db.query<{ t: string | null }>(`SELECT to_regclass('hold_relay_settings')::text AS t`);
    if (capped?.t)
      await db.query(
        `INSERT INTO hold_relay_settings VALUES ('webhook_max_pending', '1000000') ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
      );
    const webhooks = Math.max(1, Math.ceil(rows / ROWS_PER_WEBHOOK));
    for (let w = 0; w < webhooks; w++) {
      const id = `wh_bench${w}`;
      await db.query(
        `INSERT INTO webhooks (id, portal, url, event_types, timeout_ms, max_age_ms, secret, created_by)
         VALUES ($1, $2, $3, ARRAY['hold.started','hold.ended','hold.failed','call.summary'], 3000, 604800000, 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 1)`,
        [id, OTHER_PORTAL, url],
      );
      const here = Math.min(ROWS_PER_WEBHOOK, rows - w * ROWS_PER_WEBHOOK);
      await db.query(
        `INSERT INTO webhook_deliveries (webhook_id, user_id, event_id, event_type, call_key, occurred_at, hold_seq, body, attempts, next_attempt_at, last_status)
         SELECT $1, 7, 'evt_' || n, 'hold.started', 'call-' || (n / $3), now() - interval '1 hour' + make_interval(secs => n % $3),
           n % $3, '{"id":"evt_' || n || '"}',
           CASE WHEN n % $3 = 0 THEN 8 ELSE 0 END,
           CASE WHEN n % $3 = 0 THEN now() + random() * interval '300 seconds' ELSE now() END,
           CASE WHEN n % $3 = 0 THEN 503 END
         FROM generate_series(0, $2 - 1) AS n`,
        [id, here, EVENTS_PER_CALL],
      );
    }
    await db.exec('ANALYZE');
  } finally {
    await db.close();
  }
}

async function measure(
  rows: number,
): Promise<{ rows: number; idleCpuPercent: number; ingestP50Ms: number; ingestP95Ms: number }> {
  const receiver = await startReceiver();
  receiver.status = 503;
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-bench-idle-'));
  try {
    await freshPgliteDir(dataDir);
    await seed(dataDir, rows, receiver.url);
    const stack = await startStack({
      env: { STATS: 'on', DATA_DIR: dataDir, WEBHOOKS_ALLOW_PRIVATE: '1', WEBHOOKS_MAX_PENDING: '1000000' },
    });
    try {
      await sleep(3000); // the first passes, and the start's own work, settle
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await sleep(idleSec * 1000);
      const used = process.cpuUsage(cpu0);
      const idleCpuPercent = Math.round(((used.user + used.system) / 1000 / (performance.now() - t0)) * 1000) / 10;
      const domain = new URL(stack.simulator.url).host;
      const latencies: number[] = [];
      const operators = USERS.filter((u) => !u.isAdmin);
      for (let i = 0; i < posts; i++) {
        const user = operators[i % operators.length] ?? USERS[0];
        if (!user) throw new Error('the simulator has no users');
        const token = stack.simulator.rest.grant(user).AUTH_ID;
        const events = holdEvents({
          callId: `ingest-${rows}-${i}`,
          start: new Date(Date.now() - 60_000).toISOString(),
          heldMs: 100,
        });
        const started = performance.now();
        const res = await fetch(new URL('/api/events', stack.appUrl), {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'x-portal-domain': domain, 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`/api/events answered HTTP ${res.status}`);
        latencies.push(performance.now() - started);
        await sleep(50);
      }
      return {
        rows,
        idleCpuPercent,
        ingestP50Ms: Math.round(percentile(latencies, 50)),
        ingestP95Ms: Math.round(percentile(latencies, 95)),
      };
    } finally {
      await stack.close();
    }
  } finally {
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n >= 0);
for (const rows of sizes.length > 0 ? sizes : [0, 20_000, 60_000]) {
  const result = await measure(rows);
  console.info(
    `${String(rows).padStart(6)} pending: idle CPU ${String(result.idleCpuPercent).padStart(5)} % of a core; another portal's ingest p50 ${result.ingestP50Ms} ms, p95 ${result.ingestP95Ms} ms`,
  );
}
