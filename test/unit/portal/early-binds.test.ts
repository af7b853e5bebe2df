// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { connectWorkerPortal, type WorkerPortal } from '../../../src/portal/adapter.ts';
import { recordPortalPosts } from '../../support/portal-posts.ts';
import { EARLY_BINDS, earlyBind, takeEarlyBinds } from '../../../src/portal/early-binds.ts';
import { EVENTS } from '../../../src/worker/card-events.ts';

/** The inline script's subscriptions and the adapter taking them over, with this window playing the portal. */
const PORTAL = 'http://127.0.0.1:8090';
const frame = { domain: '127.0.0.1:8090', https: false, appSid: 'sid123' };
const HOLD = EVENTS.hold;

let connection: WorkerPortal | null = null;
const posted = recordPortalPosts(() => {
  connection?.dispose();
  connection = null;
});
const fire = (key: string, raw: string, origin = PORTAL) =>
  window.dispatchEvent(new MessageEvent('message', { data: `${key}:${raw}`, origin }));
const binds = () => posted.filter((p) => p.message.startsWith('placementBindEvent:'));

describe('the early subscriptions', () => {
  it('posts one placementBindEvent per event, in order, as the SDK does: its params, a UUID v4 key, the APP_SID, to the portal origin', () => {
    const early = earlyBind(frame, Object.values(EVENTS));
    expect(binds().map((p) => p.origin)).toEqual(Object.values(EVENTS).map(() => PORTAL));
    expect(binds().map((p) => p.message)).toEqual(
      Object.values(EVENTS).map(
        (event) => `placementBindEvent:${JSON.stringify({ event })}:${early.keys[event]}:sid123`,
      ),
    );
    for (const key of Object.values(early.keys))
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('posts to the origin without a default port, as the SDK reads the portal answers', () => {
    earlyBind({ domain: 'example.bitrix24.com:443', https: true, appSid: 's' }, [HOLD]);
    expect(binds()[0]?.origin).toBe('https://example.bitrix24.com');
  });

  it('keeps the portal posts to its keys until they are taken, in order, and hands over later ones at once', () => {
    const early = earlyBind(frame, [HOLD, EVENTS.hangup]);
    const hold = early.keys[HOLD] as string;
    fire(hold, 'true');
    fire(early.keys[EVENTS.hangup] as string, '');
    fire('someone-else', 'true');
    fire(hold, 'false', 'https://evil.example');
    fire(hold, '{"a":"b:c"}');
    const got: string[] = [];
    early.listen(hold, (args) => got.push(args));
    fire(hold, 'false');
    expect(got).toEqual(['true', '{"a":"b:c"}', 'false']);
  });

  it('is taken once, and only when the inline script left it', () => {
    expect(takeEarlyBinds()).toBeNull();
    (window as unknown as Record<string, unknown>)[EARLY_BINDS] = earlyBind(frame, [HOLD]);
    expect(takeEarlyBinds()?.keys[HOLD]).toBeTypeOf('string');
    expect(takeEarlyBinds()).toBeNull();
  });
});

describe('the adapter with early subscriptions', () => {
  it('does not subscribe again, and delivers a click that came before the module loaded, with its time', async () => {
    const early = earlyBind(frame, [HOLD]);
    vi.advanceTimersByTime(5);
    fire(early.keys[HOLD] as string, 'true');
    const clickedAt = Date.now();
    vi.advanceTimersByTime(20);
    connection = connectWorkerPortal(frame, early);
    connection.ready.catch(() => {});
    const got: [unknown, number | undefined][] = [];
    const bound = connection.bind(HOLD, (arg, at) => got.push([arg, at]));
    await bound;
    fire(early.keys[HOLD] as string, 'false');
    expect(binds()).toHaveLength(1);
    expect(got).toEqual([
      [true, clickedAt],
      [false, Date.now()],
    ]);
  });

  it('settles the subscription 900 ms after it went out when nothing fires, then still delivers every event', async () => {
    const early = earlyBind(frame, [HOLD]);
    vi.advanceTimersByTime(300);
    connection = connectWorkerPortal(frame, early);
    connection.ready.catch(() => {});
    const got: unknown[] = [];
    let settled = false;
    const bound = connection.bind(HOLD, (arg) => got.push(arg)).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(590);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    await bound;
    fire(early.keys[HOLD] as string, 'true');
    fire(early.keys[HOLD] as string, 'not json');
    fire(early.keys[HOLD] as string, '');
    expect(got).toEqual([true, '']);
  });

  it('subscribes through the SDK an event the page did not subscribe early', async () => {
    const early = earlyBind(frame, [HOLD]);
    connection = connectWorkerPortal(frame, early);
    connection.ready.catch(() => {});
    connection.bind(EVENTS.close, () => {}).catch(() => {});
    expect(binds().map((p) => JSON.parse(p.message.split(':').slice(1, -2).join(':')).event)).toEqual([
      HOLD,
      EVENTS.close,
    ]);
  });

  it('delivers nothing after it is disposed', async () => {
    const early = earlyBind(frame, [HOLD]);
    connection = connectWorkerPortal(frame, early);
    connection.ready.catch(() => {});
    const got: unknown[] = [];
    connection.bind(HOLD, (arg) => got.push(arg)).catch(() => {});
    connection.dispose();
    fire(early.keys[HOLD] as string, 'true');
    expect(got).toEqual([]);
  });
});
