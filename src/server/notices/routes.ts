// GET and POST /placement-error: the portal's deactivation notices. The POST carries no credentials
// (by the portal's design), so it is bounded at every step: per client (an IPv6 /64 or an IPv4
// address) before the body is read, per portal it names after, and in all; notices are kept per
// portal and listed only by member id, never by the public domain alone. A store that fails (the
// database) is answered with 503 and Retry-After, so the portal can send the notice again.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { DB_RETRY_AFTER_S } from '../http/api-context.ts';
import { jsonAnswer, methodNotAllowed, textAnswer, tooLargeAnswer } from '../http/answers.ts';
import { clientAddress, isLoopback, rateKey } from '../http/client-address.ts';
import type { ServerConfig } from '../config.ts';
import { readBody } from '../http/http-io.ts';
import { createMemoryNoticeStore, portalOf, type NoticeBounds, type NoticeStore } from './memory-store.ts';
import { parsePlacementNotice, type PlacementErrorNotice } from './placement-errors.ts';
import { createRateLimiter } from '../http/rate-limit.ts';
import type { ServerLog } from '../http/request-log.ts';

export const NOTICE_BODY_LIMIT = 16 * 1024;
/** Placement-error notices accepted per minute from one client, naming one portal, and from all together. */
export const NOTICES_PER_ADDRESS_PER_MINUTE = 10;
export const NOTICES_PER_PORTAL_PER_MINUTE = 5;
export const NOTICES_PER_MINUTE = 30;
/** Notices kept per portal (PLACEMENT_ERRORS_MAX bounds them all together). */
export const NOTICES_PER_PORTAL = 20;

type NodeContext = Context<{ Bindings: HttpBindings }>;

/** How many notices a store keeps, per portal and in all. */
export function noticeBounds(config: Pick<ServerConfig, 'placementErrorsMax'>): NoticeBounds {
  return { perPortal: Math.min(NOTICES_PER_PORTAL, config.placementErrorsMax), total: config.placementErrorsMax };
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `store` keeps the notices (the database's while statistics are on); without one, this server's memory. */
export function noticeRoutes(
  config: Pick<ServerConfig, 'placementErrorsMax' | 'trustProxy'>,
  serverLog: ServerLog,
  store?: NoticeStore,
): Hono<{ Bindings: HttpBindings }> {
  const notices = store ?? createMemoryNoticeStore(noticeBounds(config));
  const perClient = createRateLimiter({
    perKeyPerMinute: NOTICES_PER_ADDRESS_PER_MINUTE,
    globalPerMinute: NOTICES_PER_MINUTE,
    maxKeys: 10_000,
  });
  const perPortal = createRateLimiter({ perKeyPerMinute: NOTICES_PER_PORTAL_PER_MINUTE, maxKeys: 10_000 });
  const tooMany = (waitMs: number): Response =>
    textAnswer(429, 'Too many placement-error notices; retry later.', {
      'Retry-After': Math.ceil(waitMs / 1000),
      Connection: 'close',
    });

  /** A portal's own notices (`?member_id=`); the whole list only to a request made on this machine, not through a proxy. */
  const list = async (c: NodeContext): Promise<Response> => {
    const req = c.env.incoming;
    const memberId = c.req.query('member_id');
    const onThisMachine = isLoopback(req.socket.remoteAddress) && req.headers['x-forwarded-for'] === undefined;
    if (!memberId && !onThisMachine) {
      return textAnswer(
        403,
        'Name your portal: /placement-error?member_id=<its member_id>. The whole list is shown on the server machine only.',
      );
    }
    let found: PlacementErrorNotice[];
    try {
      found = memberId ? await notices.list(portalOf({ memberId, domain: null })) : await notices.listAll();
    } catch (error) {
      serverLog.error(`placement-error: the notices could not be read: ${reason(error)}`);
      return textAnswer(
        503,
        'The placement-error notices cannot be read now: their database is not available. Retry later.',
        { 'Retry-After': DB_RETRY_AFTER_S },
      );
    }
    return jsonAnswer(200, { max: config.placementErrorsMax, notices: found });
  };

  const receive = async (c: NodeContext): Promise<Response> => {
    const req = c.env.incoming;
    const address = clientAddress(req, config.trustProxy);
    const clientWait = perClient.take(rateKey(address));
    if (clientWait > 0) return tooMany(clientWait);
    const body = await readBody(req, NOTICE_BODY_LIMIT, true);
    if (body.kind === 'too-large') return tooLargeAnswer(NOTICE_BODY_LIMIT);
    if (body.kind === 'aborted') return textAnswer(400, 'The request was aborted.');
    const parsed = parsePlacementNotice(body.body, req.headers['content-type']);
    if (!parsed.ok) return textAnswer(parsed.status, `Rejected: ${parsed.reason}.`);
    const portal = portalOf(parsed.notice);
    const portalWait = perPortal.take(portal);
    if (portalWait > 0) return tooMany(portalWait);
    // The warning goes to the log whether or not the notice is kept: it is the operator's news.
    serverLog.placementError(parsed.notice, address);
    try {
      await notices.add(portal, parsed.notice);
    } catch (error) {
      serverLog.error(
        `placement-error: the notice ${JSON.stringify(parsed.notice.error)} filed under ${JSON.stringify(portal)} was not stored (answered 503, so the portal may send it again): ${reason(error)}`,
      );
      return textAnswer(503, 'The notice could not be stored now. Send it again later.', {
        'Retry-After': DB_RETRY_AFTER_S,
      });
    }
    return jsonAnswer(200, { status: 'stored' });
  };

  return new Hono<{ Bindings: HttpBindings }>()
    .on(['GET', 'HEAD'], '/', list)
    .post('/', receive)
    .all('/', () => methodNotAllowed('GET, HEAD, POST'));
}
