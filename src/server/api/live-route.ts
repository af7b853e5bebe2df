// `GET /api/report/live` (admins): who is on hold now, as JSON, or with `Accept: text/event-stream`
// as a stream that sends the same object whenever it changes (within a second of the click, on
// whichever server the click arrived).
import { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { holdingNow } from '../stats/live.ts';
import { databaseDown, fail, requireAdmin, requireUser, type ApiDeps, type ApiEnv } from './context.ts';

/** Open streams the server keeps at once, all portals together. */
export const MAX_STREAMS = 500;
const HEARTBEAT_MS = 25_000;
/** A stream sends at most one update per this window: the first change at once, later ones at the window's end, as one. */
const COALESCE_MS = 100;

export interface LiveStreams {
  route: Hono<ApiEnv>;
  /** Ends every open stream (the server is closing). */
  closeAll(): void;
}

export function liveRoute(deps: ApiDeps): LiveStreams {
  const open = new Set<SSEStreamingApi>();
  const route = new Hono<ApiEnv>().get('/', requireUser(deps), requireAdmin(deps), async (c) => {
    const { portal } = c.get('identity');
    const read = async () => JSON.stringify({ holding: await holdingNow(deps.stats.db, portal) });
    let first: string;
    try {
      first = await read();
    } catch (error) {
      return databaseDown(c, deps, error);
    }
    if (!/\btext\/event-stream\b/.test(c.req.header('accept') ?? '')) return c.body(first, 200, { 'Content-Type': 'application/json; charset=utf-8' });
    if (open.size >= MAX_STREAMS) return fail(c, 503, 'too many live streams open; retry later', {}, 30);
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      open.add(stream);
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
      const heartbeat = setInterval(() => void stream.write(': keepalive\n\n').catch(() => stream.abort()), HEARTBEAT_MS);
      try {
        await stream.writeSSE({ event: 'live', data: first });
        await ended;
      } finally {
        unsubscribe();
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
        open.delete(stream);
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
