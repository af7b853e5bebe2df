// Log lines: one per request (never the query string: it may carry tokens) and prominent warnings.
import type { LogFormat } from '../config.ts';
import type { PlacementErrorNotice } from '../notices/placement-errors.ts';

export type LogSink = (line: string) => void;

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  bytes: number;
  ms: number;
  /** The client went away before the response was complete. */
  aborted?: boolean;
}

export interface ServerLog {
  request(record: RequestRecord): void;
  placementError(notice: PlacementErrorNotice, remoteAddress: string): void;
  error(message: string): void;
  /** News that needs no action (an install taken, a registration restored). */
  info(message: string): void;
}

const MAX_PATH_CHARS = 300;

/** The path of a request target as the client sent it, without query or fragment. */
export function targetPath(url: string | undefined): string {
  const target = url ?? '';
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/** The path of a request target, cut to a sane length for the log. */
export function logPath(url: string | undefined): string {
  return targetPath(url).slice(0, MAX_PATH_CHARS);
}

export function createServerLog(format: LogFormat, sink: LogSink): ServerLog {
  const json = format === 'json';
  const write = (line: string): void => {
    try {
      sink(line);
    } catch {
      // A failing sink must never fail a request.
    }
  };
  return {
    request(r) {
      if (format === 'none') return;
      const time = new Date().toISOString();
      const ms = Math.round(r.ms * 10) / 10;
      if (json)
        write(
          JSON.stringify({
            time,
            level: 'info',
            method: r.method,
            path: r.path,
            status: r.status,
            bytes: r.bytes,
            ms,
            ...(r.aborted ? { aborted: true } : {}),
          }),
        );
      else
        write(
          `${time} ${r.method} ${JSON.stringify(r.path).slice(1, -1)} ${r.status} ${r.bytes}B ${ms}ms${r.aborted ? ' aborted' : ''}`,
        );
    },
    placementError(n, remoteAddress) {
      const time = new Date().toISOString();
      const advice =
        'the portal says it removed the worker placement (unverified: anyone can post this); a server holding the app credentials checks and binds it again itself, otherwise the app page does (Register again); make the worker load faster';
      if (json) {
        write(
          JSON.stringify({
            time,
            level: 'warn',
            msg: `placement error: ${advice}`,
            error: n.error,
            domain: n.domain,
            memberId: n.memberId,
            placement: n.placement,
            description: n.description,
            remoteAddress,
          }),
        );
      } else {
        const q = (v: string | null) => (v === null ? '-' : JSON.stringify(v));
        write(
          `${time} WARN *** PLACEMENT ERROR *** ${q(n.error)} from portal ${q(n.domain)} member_id ${q(n.memberId)} placement ${q(n.placement)} description ${q(n.description)} (sent from ${remoteAddress}): ${advice}`,
        );
      }
    },
    error(message) {
      const time = new Date().toISOString();
      write(json ? JSON.stringify({ time, level: 'error', msg: message }) : `${time} ERROR ${message}`);
    },
    info(message) {
      const time = new Date().toISOString();
      write(json ? JSON.stringify({ time, level: 'info', msg: message }) : `${time} INFO ${message}`);
    },
  };
}
