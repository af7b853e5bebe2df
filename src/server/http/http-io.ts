// Small request/response helpers: a bounded body reader and plain responses.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/**
 * Reads the request body up to `limit` bytes; `keep: false` discards it as it arrives (the portal's
 * form fields, AUTH_ID included, are never held). Stops collecting at the limit: 'too-large'.
 */
export function readBody(req: IncomingMessage, limit: number, keep: boolean): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve({ kind: 'too-large' });
  if (req.complete) return Promise.resolve({ kind: 'ok', body: Buffer.alloc(0) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult): void => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) finish({ kind: 'too-large' });
      else if (keep) chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'ok', body: Buffer.concat(chunks, keep ? size : 0) });
    const onAbort = (): void => finish({ kind: 'aborted' });
    const onClose = (): void => {
      if (!req.complete) onAbort();
    };
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onClose);
  });
}

/** Sends a complete response; HEAD gets the headers only. */
export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string | number> = {},
): void {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Length': payload.length, ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : payload);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string | number> = {},
): void {
  send(res, status, `${text}\n`, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string | number> = {},
): void {
  send(res, status, JSON.stringify(value), {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
}

/** A 413 that closes the connection, so the rest of an oversized body is never read. */
export function sendTooLarge(res: ServerResponse, limit: number): void {
  sendText(res, 413, `Request body too large (limit ${limit} bytes).`, { Connection: 'close' });
}

/** Whether `accept-encoding` allows `coding` (a q=0 refuses it). */
export function accepts(header: string | undefined, coding: string): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (name !== coding && name !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}
