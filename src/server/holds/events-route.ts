// `POST /api/events`: the `server` output's batches. Nothing is lost on a refusal: the worker keeps
// the events and retries (after Retry-After on 429 and 503). A batch the database refuses fails
// alone, with 400; 503 means the database itself is not available.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { checkBatch, MAX_EVENTS_PER_BATCH } from './event-schema.ts';
import { BadBatchError } from './ingest-queue.ts';
import { fail, requireUser, type ApiDeps, type ApiContext, type ApiEnv } from '../http/api-context.ts';
import { readJsonBody } from '../http/json-body.ts';

export const EVENTS_BODY_LIMIT = 256 * 1024;
const tooLarge = `a batch is at most ${MAX_EVENTS_PER_BATCH} events and ${EVENTS_BODY_LIMIT / 1024} kB`;

export function eventsRoute(deps: ApiDeps): Hono<ApiEnv> {
  return new Hono<ApiEnv>().post(
    '/',
    // Connection: close, so the rest of an oversized body is never read and the socket is not reused.
    bodyLimit({
      maxSize: EVENTS_BODY_LIMIT,
      onError: (c) => (c.header('Connection', 'close'), fail(c, 413, tooLarge)),
    }),
    requireUser(deps),
    async (c) => {
      const { portal, userId } = c.get('identity');
      const waitMs = deps.ingestLimiter.take(`${portal}\n${userId}`);
      if (waitMs > 0) return fail(c, 429, 'too many batches from this user; retry later', {}, Math.ceil(waitMs / 1000));
      const quotaWaitMs = deps.stats.ingest.quotaWaitMs(portal);
      if (quotaWaitMs > 0) return quotaUsed(c, quotaWaitMs);
      const body = await readJsonBody(c);
      if (!body.ok) return body.response;
      const batch = checkBatch(body.value, Date.now());
      if (!batch.ok) return batch.tooMany ? fail(c, 413, tooLarge) : fail(c, 400, batch.error, { field: batch.field });
      let result;
      try {
        result = await deps.stats.ingest.submit({ sender: { portal, userId }, events: batch.events });
      } catch (error) {
        if (error instanceof BadBatchError) return fail(c, 400, `events: ${error.message}`, { field: 'events' });
        throw error;
      }
      return c.json({ stored: result.stored, duplicates: result.duplicates });
    },
  );
}

/** 429 once the portal stored its events of the day: Retry-After is the time to the next UTC midnight. */
export function quotaUsed(c: ApiContext, waitMs: number): Response {
  return fail(
    c,
    429,
    'this portal stored as many events as it may today; retry after midnight UTC',
    {},
    Math.ceil(waitMs / 1000),
  );
}
