// The server under abuse, in a process of its own as `npm run serve` runs it, reporting its memory
// to the abuse run over IPC (a parent cannot read another V8's heap). Settings come from the environment.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../../src/server/http/server.ts';
import { parseServerConfig } from '../../src/server/config.ts';

export interface MemorySample {
  kind: 'memory';
  rssBytes: number;
  heapUsedBytes: number;
  /** The longest the event loop was blocked since the previous sample (ms). */
  loopDelayMaxMs: number;
}

const running = await startServer(parseServerConfig(process.env), () => undefined);
process.send?.({ kind: 'listening', port: running.port, healthPort: running.healthPort });
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const report = (): void => {
  const { rss, heapUsed } = process.memoryUsage();
  process.send?.({
    kind: 'memory',
    rssBytes: rss,
    heapUsedBytes: heapUsed,
    loopDelayMaxMs: loopDelay.max / 1e6,
  } satisfies MemorySample);
  loopDelay.reset();
};
const timer = setInterval(report, 200);
// Started with --expose-gc: the run asks for a full collection before its last sample, so "after"
// is what the server still holds, not garbage not yet collected.
process.on('message', (message: { kind: string }) => {
  if (message.kind !== 'gc') return;
  (globalThis as { gc?: () => void }).gc?.();
  report();
});
// The run is over (or the parent died): stop at once.
process.once('disconnect', () => {
  clearInterval(timer);
  void running.close().then(() => process.exit(0));
});
