// The simulator's HTTP helpers: the production server's bounded body reader and JSON answers, plus CORS.
import type { IncomingMessage } from 'node:http';
import { readBody as readBoundedBody } from '../server/http/http-io.ts';

export { parseJsonObject } from '../lib/json-object.ts';
export { sendJson } from '../server/http/http-io.ts';

export const MAX_BODY_BYTES = 256 * 1024;

export class BodyTooLarge extends Error {}

/** Reads the request body as text with the production server's bounded reader; throws past `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const result = await readBoundedBody(req, limit, true);
  if (result.kind === 'too-large') throw new BodyTooLarge(`body larger than ${limit} bytes`);
  if (result.kind === 'aborted') throw new Error('the client went away before the body arrived');
  return result.body.toString('utf8');
}

/** CORS as a portal (or a receiver) grants it to an app frame on another origin. */
export function corsHeaders(req: IncomingMessage, allowHeaders: string): Record<string, string> {
  const origin = req.headers.origin;
  return {
    'access-control-allow-origin': typeof origin === 'string' && origin !== '' ? origin : '*',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': allowHeaders,
    'access-control-expose-headers': 'Retry-After',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}
