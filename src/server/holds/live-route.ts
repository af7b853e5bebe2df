// `GET /api/report/live` (admins): who is on hold now, as JSON, or with `Accept: text/event-stream`
// as a stream that sends the same object whenever it changes (within a second of the click, on
// whichever server the click arrived). Streams are capped per user, per portal and in total
// (stream-slots.ts): beyond a user's or a portal's cap 429, beyond the server's 503, with Retry-After.
import { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { holdingNow } from './live.ts';
import { fail, requireAdmin, requireUser, type ApiDeps, type ApiEnv } from '../http/api-context.ts';
import { createStreamSlots, STREAM_CAPS, type StreamCaps } from './stream-slots.ts';

const HEARTBEAT_MS = 25_000;
/** A stream sends at most one update per this window: the first change at once, later ones at the window's end, as one. */
const COALESCE_MS = 100;

export interface LiveStreams {
  route: Hono<ApiEnv>;
  /** Ends every open stream (the server is closing). */
  closeAll(): void;
}

export function liveRoute(deps: ApiDeps, caps: StreamCaps = STREAM_CAPS): LiveStreams {
  const open = new Set<SSEStreamingApi>();
  const slots = createStreamSlots(caps);
  const route = new Hono<ApiEnv>().get('/', requireUser(deps), requireAdmin(deps), async (c) => {
    const { portal, userId } = c.get('identity');
    const read = async () => JSON.stringify({ holding: await holdingNow(deps.stats.db, portal) });
    const streaming = /\btext\/event-stream\b/.test(c.req.header('accept') ?? '');
    // The slot is taken before the first read, so a refused stream costs the database nothing.
    const slot = streaming ? slots.acquire(portal, userId) : null;
    if (slot && !slot.ok) return fail(c, slot.status, slot.error, {}, slot.retryAfterS);
    const release = slot?.release ?? (() => undefined);
    let first: string;
    try {
      first = await read();
    } catch (error) {
      release();
      throw error;
    }
    if (!streaming) return c.body(first, 200, { 'Content-Type': 'application/json; charset=utf-8' });
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      open.add(stream);
      // Given back however the stream ends: the client left, the server closes, or a write failed.
      stream.onAbort(release);
      let last = first;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let pushedAt = Number.NEGATIVE_INFINITY;
      // One read and write at a time, in order: a slow read cannot let an older list overwrite a newer one.
      let pushing = Promise.resolve();
      const push = (): void => {
        timer = null;
        pushedAt = Date.now();
        pushing = pushing.then(async () => {
          try {
            const next = await read();
            if (next !== last && !stream.aborted && !stream.closed) {
              last = next;
              await stream.writeSSE({ event: 'live', data: next });
            }
          } catch (error) {
            deps.warn(`statistics: live stream update failed: ${String(error)}`);
          }
        });
      };
      const unsubscribe = deps.stats.live.subscribe(portal, () => {
        timer ??= setTimeout(push, Math.max(0, pushedAt + COALESCE_MS - Date.now()));
      });
      const ended = new Promise<void>((resolve) => stream.onAbort(resolve));
      const heartbeat = setInterval(
        () => void stream.write(': keepalive\n\n').catch(() => stream.abort()),
        HEARTBEAT_MS,
      );
      try {
        await stream.writeSSE({ event: 'live', data: first });
        await ended;
      } finally {
        unsubscribe();
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
        open.delete(stream);
        release();
      }
    });
  });
  return {
    route,
    closeAll() {
      for (const stream of open) stream.abort();
    },
  };
}
