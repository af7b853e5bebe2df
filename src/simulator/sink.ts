// The simulator's webhook receiver: records every attempt, verifies Standard Webhooks signatures,
// and can be told to fail (503), hang, redirect (307, to itself), or answer normally, so retries and
// confirm mode can be watched.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { BodyTooLarge, corsHeaders, parseJsonObject, readBody, sendJson } from './http.ts';

export type SinkMode = 'ok' | 'fail' | 'hang' | 'redirect';
export const SINK_MODES: readonly SinkMode[] = ['ok', 'fail', 'hang', 'redirect'];

export interface SinkAttempt {
  seq: number;
  at: number;
  id: string | null;
  type: string | null;
  callId: string | null;
  /** The HTTP status answered, or 0 when the request was left hanging. */
  status: number;
  /** true/false when a secret is set, null without one. */
  verified: boolean | null;
  problem: string | null;
  event: Record<string, unknown> | null;
}

export interface SinkSummary {
  attempts: number;
  delivered: number;
  uniqueDelivered: number;
  duplicates: number;
  badSignatures: number;
}

const WEBHOOK_HEADERS = 'content-type, webhook-id, webhook-timestamp, webhook-signature';
const MAX_ATTEMPTS_KEPT = 2000;
const HANG_LIMIT_MS = 120_000;

export class WebhookSink {
  mode: SinkMode = 'ok';
  secret: string | null;
  readonly attempts: SinkAttempt[] = [];
  private seq = 0;
  private readonly hanging = new Set<ServerResponse>();

  constructor(secret: string | null = null) {
    this.secret = secret;
  }

  setMode(mode: SinkMode): void {
    this.mode = mode;
    if (mode !== 'hang') this.releaseHanging();
  }

  clear(): void {
    this.attempts.length = 0;
  }

  /** Events answered 2xx, first delivery of each id only, in arrival order. */
  delivered(): Record<string, unknown>[] {
    const seen = new Set<string>();
    const events: Record<string, unknown>[] = [];
    for (const attempt of this.attempts) {
      if (attempt.status < 200 || attempt.status > 299 || attempt.id === null || seen.has(attempt.id)) continue;
      seen.add(attempt.id);
      if (attempt.event) events.push(attempt.event);
    }
    return events;
  }

  summary(): SinkSummary {
    const ok = this.attempts.filter((a) => a.status >= 200 && a.status <= 299);
    const unique = new Set(ok.map((a) => a.id)).size;
    return {
      attempts: this.attempts.length,
      delivered: ok.length,
      uniqueDelivered: unique,
      duplicates: ok.length - unique,
      badSignatures: this.attempts.filter((a) => a.verified === false).length,
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const cors = corsHeaders(req, WEBHOOK_HEADERS);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'POST only' }, { ...cors, allow: 'POST, OPTIONS' });
      return;
    }
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      sendJson(res, error instanceof BodyTooLarge ? 413 : 400, { error: String(error) }, cors);
      return;
    }
    const header = (name: string): string => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : '';
    };
    const event = parseJsonObject(body);
    const data =
      event && typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>) : {};
    const attempt: SinkAttempt = {
      seq: ++this.seq,
      at: Date.now(),
      id: header('webhook-id') || null,
      type: typeof event?.type === 'string' ? event.type : null,
      callId: typeof data.callId === 'string' ? data.callId : null,
      status: 0,
      verified: null,
      problem: null,
      event,
    };
    if (this.secret) {
      try {
        new Webhook(this.secret).verify(body, {
          'webhook-id': header('webhook-id'),
          'webhook-timestamp': header('webhook-timestamp'),
          'webhook-signature': header('webhook-signature'),
        });
        attempt.verified = true;
      } catch (error) {
        attempt.verified = false;
        attempt.problem = `signature: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (!event) attempt.problem = 'body is not a JSON object';
    this.record(attempt);
    if (this.mode === 'hang') {
      this.hang(res);
      return;
    }
    if (this.mode === 'redirect') {
      attempt.status = 307;
      res.writeHead(307, { ...cors, location: req.url ?? '/' }).end();
      return;
    }
    if (this.mode === 'fail') {
      attempt.status = 503;
      sendJson(res, 503, { error: 'the sink is set to fail' }, cors);
      return;
    }
    attempt.status = attempt.verified === false || !event ? 400 : 200;
    sendJson(res, attempt.status, attempt.status === 200 ? { ok: true } : { error: attempt.problem }, cors);
  }

  close(): void {
    this.releaseHanging();
  }

  private record(attempt: SinkAttempt): void {
    this.attempts.push(attempt);
    if (this.attempts.length > MAX_ATTEMPTS_KEPT) this.attempts.splice(0, this.attempts.length - MAX_ATTEMPTS_KEPT);
  }

  private hang(res: ServerResponse): void {
    this.hanging.add(res);
    const timer = setTimeout(() => res.destroy(), HANG_LIMIT_MS);
    res.on('close', () => {
      clearTimeout(timer);
      this.hanging.delete(res);
    });
  }

  private releaseHanging(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }
}
