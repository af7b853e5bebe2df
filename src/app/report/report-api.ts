// The app page's client of the server's report API: every request carries the user's token and the
// portal's domain; a token the portal refused is renewed once. Failures are ApiErrors with a status
// (0: the server could not be reached).
import type { LiveHold } from '../../contract/api.ts';
import type { HoldRow, Report } from './report-answer.ts';
import { createSseParser } from './sse.ts';
import type { ReportPeriod } from './period.ts';

export type { HoldRow, LiveHold, Report };

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface ApiSettings {
  /** The server's API root, e.g. `https://relay.example.com/api/`. */
  base: string;
  /** The portal's DOMAIN (host[:port]). */
  domain: string;
  /** The user's access token; `renew` after the server said the portal refused it. */
  token(options?: { renew?: boolean }): Promise<string | null>;
  fetch?: typeof fetch;
}

export interface CsvExport {
  /** The file as the server wrote it, byte for byte. */
  file: Blob;
  holds: number;
  /** False when the portal did not give the server the operators' names: the file has user ids only. */
  named: boolean;
}

export type LiveState = 'connecting' | 'live' | 'down';

/** One line (its number), or every line when null or absent: narrows every figure of every endpoint. */
export interface LineChoice {
  lineNumber?: string | null;
}

export interface ReportApi {
  status(): Promise<{ stats: boolean }>;
  report(period: ReportPeriod, options?: LineChoice): Promise<Report>;
  holds(
    period: ReportPeriod,
    options: LineChoice & { sort: 'longest' | 'recent'; limit: number; userId?: number | null },
  ): Promise<HoldRow[]>;
  /** The period's holds (of the line, when one is chosen) as the server wrote the CSV file, names and all. */
  csv(period: ReportPeriod, options?: LineChoice): Promise<CsvExport>;
  /** Follows who is on hold now, on every line; returns the stop function. Reconnects with growing pauses. */
  live(onHolding: (holding: LiveHold[]) => void, onState: (state: LiveState) => void): () => void;
}

const TIMEOUT_MS = 20_000;

export function createReportApi(settings: ApiSettings): ReportApi {
  const doFetch = settings.fetch ?? ((input, init) => fetch(input, { ...init, redirect: 'error' }));
  const request = async (path: string, init: { accept?: string; signal?: AbortSignal } = {}): Promise<Response> => {
    const attempt = async (renew: boolean): Promise<Response> => {
      const token = await settings.token({ renew });
      const headers: Record<string, string> = {
        'X-Portal-Domain': settings.domain,
        Accept: init.accept ?? 'application/json',
      };
      if (token) headers.Authorization = `Bearer ${token}`;
      try {
        return await doFetch(new URL(path, settings.base).href, {
          headers,
          credentials: 'omit',
          cache: 'no-store',
          redirect: 'error',
          signal: init.signal ?? AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        if (init.signal?.aborted) throw error;
        throw new ApiError(0, error instanceof Error ? error.message : String(error));
      }
    };
    let response = await attempt(false);
    if (response.status === 401) response = await attempt(true);
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
      throw new ApiError(response.status, typeof body?.error === 'string' ? body.error : `HTTP ${response.status}`);
    }
    return response;
  };
  const query = (period: ReportPeriod, extra: Record<string, string | number | null | undefined> = {}) => {
    const params = new URLSearchParams({ from: period.from, to: period.to, tz: period.tz });
    for (const [name, value] of Object.entries(extra))
      if (value !== null && value !== undefined) params.set(name, String(value));
    return params.toString();
  };

  return {
    status: async () => (await (await request('status')).json()) as { stats: boolean },
    report: async (period, options = {}) =>
      (await (
        await request(`report?${query(period, { by: period.hourly ? 'hour' : null, lineNumber: options.lineNumber })}`)
      ).json()) as Report,
    holds: async (period, options) => {
      const extra = {
        sort: options.sort,
        limit: options.limit,
        userId: options.userId,
        lineNumber: options.lineNumber,
      };
      return ((await (await request(`report/holds?${query(period, extra)}`)).json()) as { holds: HoldRow[] }).holds;
    },
    csv: async (period, options = {}) => {
      const response = await request(`report/holds.csv?${query(period, { lineNumber: options.lineNumber })}`, {
        accept: 'text/csv',
      });
      const file = new Blob([await response.arrayBuffer()], { type: 'text/csv;charset=utf-8' });
      return {
        file,
        holds: Number(response.headers.get('x-hold-count')) || 0,
        named: response.headers.get('x-operator-names') !== 'unavailable',
      };
    },
    live(onHolding, onState) {
      const controller = new AbortController();
      let pause = 1000;
      const run = async (): Promise<void> => {
        while (!controller.signal.aborted) {
          onState('connecting');
          try {
            const response = await request('report/live', { accept: 'text/event-stream', signal: controller.signal });
            const parser = createSseParser((message) => {
              if (message.event !== 'live') return;
              const body = JSON.parse(message.data) as { holding?: LiveHold[] };
              onHolding(Array.isArray(body.holding) ? body.holding : []);
              onState('live');
              pause = 1000;
            });
            const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
            if (!reader) throw new ApiError(0, 'no stream');
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              parser.push(value);
            }
          } catch (error) {
            if (controller.signal.aborted) return;
            if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
              onState('down');
              return;
            }
          }
          if (controller.signal.aborted) return;
          onState('down');
          await new Promise((done) => setTimeout(done, pause));
          pause = Math.min(pause * 2, 15_000);
        }
      };
      void run();
      return () => controller.abort();
    },
  };
}
