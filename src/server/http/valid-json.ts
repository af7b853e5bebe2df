// A route's JSON body, checked before the handler runs: the content type, the nesting depth on the
// raw text, JSON.parse, then the route's valibot schema. The handler reads the typed result with
// `c.req.valid('json')`; every refusal is `{"error": "<field>: <message>", "field"}` with 4xx.
import type { Env, MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { readJsonBody } from './json-body.ts';
import { fail } from './api-context.ts';
import { fieldPath } from '../holds/event-schema.ts';

/** `field` names the field when an issue has no path of its own (a schema over the whole body). */
export function validJson<S extends v.GenericSchema, E extends Env = Env>(
  schema: S,
  field = 'body',
): MiddlewareHandler<E, string, { in: { json: v.InferInput<S> }; out: { json: v.InferOutput<S> } }> {
  return async (c, next) => {
    const body = await readJsonBody(c);
    if (!body.ok) return body.response;
    const parsed = v.safeParse(schema, body.value);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const named = fieldPath(issue.path?.map((item) => item.key) ?? []) || field;
      return fail(c, 400, `${named}: ${issue.message}`, { field: named });
    }
    c.req.addValidatedData('json', parsed.output as object);
    await next();
  };
}
