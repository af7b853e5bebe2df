// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { connectWorkerPortal, type WorkerPortal } from '../../../src/portal/adapter.ts';
import { recordPortalPosts } from '../../support/portal-posts.ts';

/**
 * The adapter against the real SDK classes, with this window standing in for the portal: we read
 * what the frame posts to its parent and answer the way the portal does.
 */
const PORTAL = 'http://127.0.0.1:8090';
const frame = { domain: '127.0.0.1:8090', https: false, appSid: 'sid123' };

let connection: WorkerPortal | null = null;
const posted = recordPortalPosts(() => {
  connection?.dispose();
  connection = null;
});

function answer(key: string, payload?: unknown, origin = PORTAL): void {
  const data = payload === undefined ? `${key}:` : `${key}:${JSON.stringify(payload)}`;
  window.dispatchEvent(new MessageEvent('message', { data, origin }));
}

/** Splits a posted command as the portal does: method, params, callback key, APP_SID. */
function lastCommand(method: string) {
  const found = posted.filter((p) => p.message.startsWith(`${method}:`)).at(-1);
  if (!found) throw new Error(`nothing posted for ${method}: ${JSON.stringify(posted)}`);
  const parts = found.message.split(':');
  return {
    key: parts.at(-2) as string,
    appSid: parts.at(-1),
    params: parts.slice(1, -2).join(':'),
    origin: found.origin,
  };
}

describe('portal adapter', () => {
  it('subscribes before the portal has answered getInitData, to the portal origin only', async () => {
    connection = connectWorkerPortal(frame);
    connection.ready.catch(() => {});
    connection.bind('BackgroundCallCard::holdButtonClick', () => {}).catch(() => {});
    const bind = lastCommand('placementBindEvent');
    expect(bind).toMatchObject({
      appSid: 'sid123',
      params: '{"event":"BackgroundCallCard::holdButtonClick"}',
      origin: PORTAL,
    });
    expect(lastCommand('getInitData').origin).toBe(PORTAL);
  });

  it('delivers an event that fires within the SDK 900 ms window instead of losing it', async () => {
    connection = connectWorkerPortal(frame);
    connection.ready.catch(() => {});
    const got: unknown[] = [];
    const bound = connection.bind('BackgroundCallCard::holdButtonClick', (arg) => got.push(arg));
    const { key } = lastCommand('placementBindEvent');
    answer(key, true);
    await bound;
    answer(key, false);
    expect(got).toEqual([true, false]);
  });

  it('delivers later events through the callback once the subscription settles silently', async () => {
    connection = connectWorkerPortal(frame);
    connection.ready.catch(() => {});
    const got: unknown[] = [];
    const bound = connection.bind('BackgroundCallCard::hangupButtonClick', (arg) => got.push(arg));
    const { key } = lastCommand('placementBindEvent');
    await vi.advanceTimersByTimeAsync(1000);
    await bound;
    answer(key);
    answer(key, true, 'https://evil.example');
    expect(got).toEqual(['']);
  });

  it('reads the session from getInitData and decodes card command answers', async () => {
    connection = connectWorkerPortal(frame);
    answer(lastCommand('getInitData').key, {
      LANG: 'de',
      DOMAIN: '127.0.0.1:8090',
      MEMBER_ID: 'm1',
      IS_ADMIN: false,
      PLACEMENT: 'PAGE_BACKGROUND_WORKER',
      APP_OPTIONS: { holdRelay: '{"outputs":[]}' },
      AUTH_ID: 'token',
      AUTH_EXPIRES: '3600',
    });
    const port = await connection.ready;
    expect(port.session).toEqual({
      lang: 'de',
      domain: '127.0.0.1:8090',
      origin: PORTAL,
      memberId: 'm1',
      isAdmin: false,
      placement: 'PAGE_BACKGROUND_WORKER',
      install: false,
      appOptions: { holdRelay: '{"outputs":[]}' },
    });
    const pending = port.command('CallCardSetStatusText', { statusText: 'On hold 0:01' });
    const sent = lastCommand('CallCardSetStatusText');
    expect(JSON.parse(sent.params)).toMatchObject({ statusText: 'On hold 0:01' });
    answer(sent.key, [{ result: 'error', errorCode: 'Call card is undefined' }]);
    expect(await pending).toEqual({ ok: false, error: 'Call card is undefined' });
  });

  it('treats the portal APP_OPTIONS empty list as no options', async () => {
    connection = connectWorkerPortal(frame);
    answer(lastCommand('getInitData').key, { LANG: 'en', APP_OPTIONS: [] });
    expect((await connection.ready).session.appOptions).toEqual({});
  });

  it('gives up with a clear error when the portal never answers getInitData', async () => {
    connection = connectWorkerPortal(frame);
    const failed = expect(connection.ready).rejects.toThrow('the portal did not answer within 10 s');
    await vi.advanceTimersByTimeAsync(10_001);
    await failed;
  });
});
