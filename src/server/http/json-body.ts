// Reading a JSON request body once for every route: the content type, the nesting depth on the raw
// text (json-depth.ts), then JSON.parse; each refusal is the route's answer as it stands.
import type { Context } from 'hono';
import { fail } from './api-context.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.ts';

export async function readJsonBody(
  c: Context,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
    return { ok: false, response: fail(c, 415, 'the body must be application/json') };
  const text = await c.req.text();
  if (nestsDeeperThan(text, MAX_JSON_DEPTH))
    return {
      ok: false,
      response: fail(c, 400, `body: nested more than ${MAX_JSON_DEPTH} levels deep`, { field: 'body' }),
    };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: fail(c, 400, 'the body is not JSON', { field: 'body' }) };
  }
}
