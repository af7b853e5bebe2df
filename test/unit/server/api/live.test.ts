// @vitest-environment node
// Who is on hold now: as JSON, and as a stream pushed within a second of each change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../../../src/server/http/server.ts';
import { parseServerConfig } from '../../../../src/server/config.ts';
import { holdEvents } from '../../../support/hold-events.ts';
import { startStatsStack, type StatsStack } from '../../../support/stats-stack.ts';
import { useStatsStack } from '../../../support/use-stats-stack.ts';
import { readSse } from './sse-reader.ts';

const databaseUrl = process.env.DATABASE_URL;

async function pushesEachChange(
  stack: StatsStack,
  readFrom: (path: string, init: RequestInit) => Promise<Response>,
  callId: string,
): Promise<void> {
  const token = stack.tokenFor(7);
  const stream = await readFrom('/api/report/live', {
    headers: {
      accept: 'text/event-stream',
      authorization: `Bearer ${stack.tokenFor(1)}`,
      'x-portal-domain': stack.domain,
    },
  });
  expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const sse = readSse(stream);
  try {
    await expect.poll(() => sse.messages).toEqual([{ holding: [] }]);
    const [started, ended] = holdEvents({ callId, start: new Date().toISOString(), heldMs: 1500 });
    expect((await stack.api('/api/events', { token, body: { events: [started] } })).status).toBe(200);
    // Within a second of the change being stored (the 200), whatever the machine's load did to the request itself.
    const storedAt = performance.now();
    await expect.poll(() => sse.messages.length, { timeout: 1000, interval: 20 }).toBe(2);
    expect(performance.now() - storedAt).toBeLessThan(1000);
    expect(sse.messages[1]).toEqual({ holding: [{ userId: 7, callId, since: started.timestamp }] });
    expect(
      (
        await stack.api('/api/events', {
          token,
          body: { events: [{ ...ended, timestamp: new Date(Date.parse(started.timestamp) + 1500).toISOString() }] },
        })
      ).status,
    ).toBe(200);
    await expect.poll(() => sse.messages.at(-1), { timeout: 1000, interval: 20 }).toEqual({ holding: [] });
  } finally {
    await sse.close();
  }
}

describe('live holds on the embedded database', () => {
  const stack = useStatsStack();

  it('answers JSON by default', async () => {
    const res = await stack.api('/api/report/live');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ holding: [] });
  });

  it('pushes the new list within a second of a hold starting and ending', async () => {
    await pushesEachChange(stack, (path, init) => fetch(new URL(path, stack.appUrl), init), 'live-1');
  });

  it('ends a burst of changes with the list as it is after the last one', async () => {
    const stream = await fetch(new URL('/api/report/live', stack.appUrl), {
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${stack.tokenFor(1)}`,
        'x-portal-domain': stack.domain,
      },
    });
    const sse = readSse(stream);
    try {
      await expect.poll(() => sse.messages).toEqual([{ holding: [] }]);
      const start = Date.now() - 10_000;
      const calls = ['burst-1', 'burst-2', 'burst-3', 'burst-4'].map((callId, i) =>
        holdEvents({ callId, start: new Date(start + i * 1000).toISOString(), heldMs: 5000 }),
      );
      // Four holds start and two of them end, each in a request of its own, as fast as the server takes them.
      const sends = [...calls.map(([started]) => started), calls[0]?.[1], calls[2]?.[1]];
      for (const event of sends)
        expect((await stack.api('/api/events', { token: stack.tokenFor(7), body: { events: [event] } })).status).toBe(
          200,
        );
      const holding = [calls[1], calls[3]].map((events) => ({
        userId: 7,
        callId: events?.[0]?.data.callId,
        since: events?.[0]?.timestamp,
      }));
      const byCall = (list: { callId?: unknown }[]) =>
        [...list].sort((a, b) => String(a.callId).localeCompare(String(b.callId)));
      await expect
        .poll(() => byCall((sse.messages.at(-1) as { holding: { callId?: unknown }[] }).holding), {
          timeout: 5000,
          interval: 20,
        })
        .toEqual(holding);
    } finally {
      await sse.close();
    }
  });
});

describe.runIf(databaseUrl)('live holds across servers sharing PostgreSQL', () => {
  let stack: StatsStack;
  let other: Awaited<ReturnType<typeof startServer>>;
  let dist: string;
  beforeAll(async () => {
    // A schema of its own, so the storage suite dropping its tables meanwhile cannot touch these.
    const url = new URL(databaseUrl ?? '');
    url.searchParams.set('options', '-c search_path=live_test');
    const bare = await (await import('../../../../src/server/db/postgres.ts')).default({ url: databaseUrl ?? '' });
    await bare.exec('DROP SCHEMA IF EXISTS live_test CASCADE; CREATE SCHEMA live_test');
    await bare.close();
    stack = await startStatsStack({ DATABASE_URL: url.href });
    dist = mkdtempSync(join(tmpdir(), 'relay-unused-'));
    other = await startServer(
      parseServerConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_FORMAT: 'none',
        STATS: 'on',
        WARM_UP_MS: '0',
        DATABASE_URL: url.href,
        DATA_DIR: dist,
        PORTAL_ORIGINS: stack.simulator.origin,
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await stack?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('pushes a hold stored by one server to a stream open on another', async () => {
    await pushesEachChange(stack, (path, init) => fetch(new URL(path, other.url), init), 'live-pg');
  });
});
