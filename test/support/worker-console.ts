import type { ConsoleMessage, Page } from 'playwright-core';
import type { HoldEvent } from '../../src/hold/types.ts';

/** What the worker frames of a page wrote to the console: its log lines and the events of its log output. */
export interface WorkerConsole {
  lines: string[];
  events: HoldEvent[];
  /** Lines of level error, and uncaught errors of any frame. */
  errors: string[];
  /** Event lines whose payload went with their frame before it could be read (their slot in `events` stays empty). */
  unread: string[];
  /** Waits until all event payloads have been read from the browser. */
  settled(): Promise<void>;
}

const PREFIX = '[hold-relay] ';
/**
 * A frame replaced just after it logged an event takes the event's payload with it: a handle of a
 * detached frame cannot be read. That is the test's reach, not an error of the worker.
 */
const FRAME_GONE = /Frame was detached|Execution context was destroyed/;

export function recordWorkerConsole(page: Page): WorkerConsole {
  const lines: string[] = [];
  const events: HoldEvent[] = [];
  const errors: string[] = [];
  const unread: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('console', (message: ConsoleMessage) => {
    const text = message.text();
    if (message.type() === 'error' && !text.startsWith(PREFIX)) errors.push(`console: ${text}`);
    if (!text.startsWith(PREFIX)) return;
    lines.push(`${message.type()}: ${text.slice(PREFIX.length)}`);
    if (message.type() === 'error') errors.push(text);
    if (message.type() === 'info' && /^(hold|call)\.\w+ /.test(text.slice(PREFIX.length))) {
      const slot = events.length;
      events.push(null as unknown as HoldEvent);
      const arg = message.args()[1];
      pending.push(
        (arg ? (arg.jsonValue() as Promise<HoldEvent>) : Promise.reject(new Error('no event attached'))).then(
          (event) => void (events[slot] = event),
          (error: unknown) =>
            void (FRAME_GONE.test(String(error))
              ? unread.push(text)
              : errors.push(`could not read the event of "${text}": ${String(error)}`)),
        ),
      );
    }
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { lines, events, errors, unread, settled: async () => void (await Promise.all(pending)) };
}
