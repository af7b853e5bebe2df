// Server-side webhooks against the browser's own webhook, in one run: click-to-receiver latency of
// each (one page with both outputs, so every click goes to both), and how many events per second the
// server delivers from its queue to one receiver.
import type { LaunchedBrowser } from '../support/browser.ts';
import { holdEvents } from '../support/hold-events.ts';
import { startStatsStack, type StatsStack } from '../support/stats-stack.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';
import { percentile } from './stats.ts';
import { openBenchPage } from './worker-page.ts';

export interface LatencyFigures {
  clicks: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface ServerWebhookBench {
  /** Click to the receiver's arrival: the webhook the server sends, and the one the browser sends. */
  server: LatencyFigures;
  browser: LatencyFigures;
  throughput: { events: number; seconds: number; perSecond: number; badSignatures: number; duplicates: number } | null;
}

const EVERY = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'];
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const figures = (samples: number[]): LatencyFigures => ({
  clicks: samples.length,
  p50Ms: Math.round(percentile(samples, 50)),
  p95Ms: Math.round(percentile(samples, 95)),
  maxMs: Math.round(Math.max(...samples)),
});

async function until(check: () => boolean, timeoutMs: number, what: string, everyMs = 2): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await sleep(everyMs)) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
  }
}

export async function benchServerWebhooks(
  browser: LaunchedBrowser,
  options: { clicks: number; events: number; log: (line: string) => void },
): Promise<ServerWebhookBench> {
  const stack: StatsStack = await startStatsStack({ WEBHOOKS_ALLOW_PRIVATE: '1' });
  const receivers: Receiver[] = [];
  try {
    const serverSide = await startReceiver();
    receivers.push(serverSide);
    const created = await stack.api('/api/webhooks', { body: { url: serverSide.url, on: EVERY } });
    if (created.status !== 201) throw new Error(`creating the server-side webhook answered HTTP ${created.status}`);
    serverSide.sink.secret = ((await created.json()) as { secret: string }).secret;
    const browserSink = stack.simulator.sink;
    browserSink.clear();
    const outputs = [
      { type: 'server' },
      { type: 'webhook', url: `${stack.simulator.url}/sink`, secret: browserSink.secret, on: EVERY },
    ];
    const page = await openBenchPage(browser, stack, { outputs });
    await page.click('incoming-call');
    await page.click('answer');
    await sleep(1000);
    const server: number[] = [];
    const viaBrowser: number[] = [];
    for (let i = 0; i < options.clicks; i++) {
      const clickedAt = await page.page.getByTestId('hold').evaluate((button) => {
        const at = performance.timeOrigin + performance.now();
        (button as HTMLElement).click();
        return at;
      });
      await until(
        () => serverSide.sink.attempts.length > i && browserSink.attempts.length > i,
        15_000,
        `click ${i + 1} reaching both receivers`,
      );
      server.push((serverSide.sink.attempts[i]?.at ?? 0) - clickedAt);
      viaBrowser.push((browserSink.attempts[i]?.at ?? 0) - clickedAt);
      await sleep(50);
    }
    await page.page.close();
    options.log(
      `click to receiver over ${options.clicks} clicks: server-side p50 ${Math.round(percentile(server, 50))} ms, browser-side p50 ${Math.round(percentile(viaBrowser, 50))} ms`,
    );

    let throughput: ServerWebhookBench['throughput'] = null;
    if (options.events > 0) {
      const fast = await startReceiver();
      receivers.push(fast);
      const made = await stack.api('/api/webhooks', { body: { url: fast.url, on: EVERY } });
      fast.sink.secret = ((await made.json()) as { secret: string }).secret;
      const start = Date.now() - 600_000;
      const calls = Math.ceil(options.events / 2);
      const events = Array.from({ length: calls }, (_, i) =>
        holdEvents({ callId: `bench-${i}`, start: new Date(start + i).toISOString(), heldMs: 100 }),
      )
        .flat()
        .slice(0, options.events);
      const token = stack.tokenFor(7);
      const t0 = performance.now();
      for (let i = 0; i < events.length; i += 100) {
        const res = await stack.api('/api/events', { token, body: { events: events.slice(i, i + 100) } });
        if (res.status !== 200) throw new Error(`/api/events answered HTTP ${res.status}`);
      }
      const storedS = (performance.now() - t0) / 1000;
      // The receiver answers 200 to all: its count of attempts is the count of deliveries (duplicates are checked after).
      await until(() => fast.sink.attempts.length >= events.length, 300_000, `${events.length} deliveries`, 50);
      const seconds = (performance.now() - t0) / 1000;
      options.log(
        `stored ${events.length} events in ${storedS.toFixed(1)} s; all delivered ${seconds.toFixed(1)} s after the first batch`,
      );
      const summary = fast.sink.summary();
      throughput = {
        events: events.length,
        seconds: Math.round(seconds * 100) / 100,
        perSecond: Math.round(events.length / seconds),
        badSignatures: summary.badSignatures,
        duplicates: summary.duplicates,
      };
      options.log(
        `server delivery throughput: ${events.length} events in ${throughput.seconds} s = ${throughput.perSecond}/s`,
      );
    }
    return { server: figures(server), browser: figures(viaBrowser), throughput };
  } finally {
    for (const r of receivers) await r.close();
    await stack.close();
  }
}
