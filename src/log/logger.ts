/** One prefix for every line the app writes, so an operator can filter DevTools by it. */
export const LOG_PREFIX = '[hold-relay]';

export interface Logger {
  info(message: string, details?: unknown): void;
  warn(message: string, details?: unknown): void;
  error(message: string, details?: unknown): void;
}

export type LogSink = Pick<Console, 'info' | 'warn' | 'error'>;

/** A logger that never throws, whatever the sink does. */
export function createLogger(sink: LogSink = console): Logger {
  const write = (level: keyof LogSink) => (message: string, details?: unknown) => {
    try {
      if (details === undefined) sink[level](`${LOG_PREFIX} ${message}`);
      else sink[level](`${LOG_PREFIX} ${message}`, details);
    } catch {
      // A broken console must not break the worker.
    }
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
