// One signed POST to a receiver, from the server: no redirects followed, a deadline, a bounded
// answer kept for the delivery log, and the result sorted into what the queue does next.
import http from 'node:http';
import https from 'node:https';
import { decide, isRedirect, type Decision } from '../../contract/answers.ts';
import { parseRetryAfter } from '../../contract/retry-schedule.ts';
import { guardedLookup, PrivateAddressError, refusedLiteralHost } from './receiver-url.ts';

/** What the queue does after one attempt: the contract's decision on the answer. */
export type SendResult = {
  kind: Decision;
  /** The receiver's HTTP status; null when none came. */
  status: number | null;
  /** Why it was not delivered (null when it was). */
  error: string | null;
  /** The start of the receiver's answer body. */
  answer: string | null;
  retryAfterMs: number | null;
  durationMs: number;
};

export interface SendOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Aborts the attempt (the server is closing). */
  signal?: AbortSignal;
}

const ANSWER_BYTES = 512;
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 8 }),
};

export function sendWebhook(options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const done = (result: Omit<SendResult, 'durationMs'>): SendResult => ({
    ...result,
    durationMs: Math.round(performance.now() - started),
  });
  const url = new URL(options.url);
  const refused = refusedLiteralHost(url, options.allowPrivate);
  if (refused)
    return Promise.resolve(done({ kind: 'refused', status: null, error: refused, answer: null, retryAfterMs: null }));
  const secure = url.protocol === 'https:';
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(result));
    };
    const request = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) },
        agent: secure ? agents.https : agents.http,
        lookup: guardedLookup(options.allowPrivate) as never,
        signal: options.signal,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < ANSWER_BYTES) chunks.push(chunk.subarray(0, ANSWER_BYTES - kept));
          kept += chunk.length;
        });
        response.on('error', () => undefined);
        response.on('end', () => {
          const answer = Buffer.concat(chunks).toString('utf8').trim() || null;
          const kind = decide(status);
          const error =
            kind === 'delivered'
              ? null
              : isRedirect(status)
                ? `HTTP ${status}: redirects are not followed`
                : `HTTP ${status}`;
          const tryAgain = kind === 'retry' || kind === 'refused';
          finish({
            kind,
            status,
            error,
            answer,
            retryAfterMs: tryAgain ? parseRetryAfter(headerOf(response.headers['retry-after']), Date.now()) : null,
          });
        });
      },
    );
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      Math.max(1, options.timeoutMs),
    );
    request.on('error', (error) => {
      const message = error.name === 'AbortError' ? 'aborted: the server is closing' : error.message;
      finish({
        kind: error instanceof PrivateAddressError ? 'refused' : 'retry',
        status: null,
        error: message,
        answer: null,
        retryAfterMs: null,
      });
    });
    request.end(options.body);
  });
}

function headerOf(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value : null;
}
