import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTION, runInstall, serverKeepsStatistics, type StepReport } from '../../../src/app/install.ts';
import { hasOption } from '../../../src/config/option-value.ts';
import {
  bindingProblems,
  parseUserIds,
  registerWorker,
  workerTarget,
  type Rest,
} from '../../../src/app/registration.ts';
import type { RestAnswer } from '../../../src/portal/types.ts';

const PAGE = 'https://relay.example.com/app/?x=1';
const HANDLER = 'https://relay.example.com/';
const ERROR_HANDLER = 'https://relay.example.com/placement-error';

interface Bound {
  handler: string;
  userId: number;
  options: unknown;
}

/** A portal that answers the placement and option methods as Bitrix24 does, and records every call. */
function fakePortal(
  start: {
    bound?: Bound[];
    option?: unknown;
    refuse?: Record<string, string>;
    events?: { event: string; handler: string }[];
  } = {},
) {
  const bound = [...(start.bound ?? [])];
  const events = [...(start.events ?? [])];
  let option: unknown = start.option ?? null;
  const log: string[] = [];
  const ok = (result: unknown): RestAnswer => ({ ok: true, result });
  const fail = (error: string): RestAnswer => ({ ok: false, error, description: '', status: 400 });
  const rest: Rest = async (method, params = {}) => {
    const userId = Number(params.USER_ID ?? 0);
    log.push(`${method}${params.USER_ID === undefined ? '' : ` ${userId}`}`);
    const refused = start.refuse?.[method];
    if (refused) return fail(refused);
    switch (method) {
      case 'placement.bind':
        if (bound.some((b) => b.userId === userId)) return fail('ERROR_PLACEMENT_MAX_COUNT');
        bound.push({ handler: String(params.HANDLER), userId, options: params.OPTIONS });
        return ok(true);
      case 'placement.unbind': {
        const before = bound.length;
        bound.splice(0, bound.length, ...bound.filter((b) => params.USER_ID !== undefined && b.userId !== userId));
        return ok({ count: before - bound.length });
      }
      case 'placement.get':
        return ok(
          bound.map((b) => ({
            placement: 'PAGE_BACKGROUND_WORKER',
            userId: b.userId,
            handler: b.handler,
            options: b.options,
          })),
        );
      case 'app.option.get':
        return ok(option);
      case 'event.get':
        return ok(events);
      case 'event.bind':
        events.push({ event: String(params.event), handler: String(params.handler) });
        return ok(true);
      case 'app.option.set':
        option = (params.options as Record<string, unknown>).holdRelay;
        return ok(true);
      default:
        return fail('ERROR_METHOD_NOT_FOUND');
    }
  };
  return { rest, log, bound, events, option: () => option };
}

describe('registering the worker', () => {
  it('binds the worker at / with the error handler at /placement-error, for every user', async () => {
    const portal = fakePortal();
    expect(await registerWorker(portal.rest, workerTarget(PAGE))).toEqual({ ok: true, replaced: false });
    expect(portal.log).toEqual(['placement.bind', 'placement.get']);
    expect(portal.bound).toEqual([{ handler: HANDLER, userId: 0, options: { errorHandlerUrl: ERROR_HANDLER } }]);
  });

  it('replaces an earlier registration when the portal answers ERROR_PLACEMENT_MAX_COUNT', async () => {
    const portal = fakePortal({ bound: [{ handler: 'https://old.example.com/', userId: 0, options: {} }] });
    expect(await registerWorker(portal.rest, workerTarget(PAGE))).toEqual({ ok: true, replaced: true });
    expect(portal.log).toEqual(['placement.bind', 'placement.unbind', 'placement.bind', 'placement.get']);
    expect(portal.bound.map((b) => b.handler)).toEqual([HANDLER]);
  });

  it('binds once per chosen operator, and removes a binding for every user left from before', async () => {
    const portal = fakePortal({ bound: [{ handler: HANDLER, userId: 0, options: {} }] });
    expect(await registerWorker(portal.rest, workerTarget(PAGE, [7, 12]))).toEqual({ ok: true, replaced: true });
    expect(portal.log).toEqual([
      'placement.bind 7',
      'placement.bind 12',
      'placement.get',
      'placement.unbind',
      'placement.bind 7',
      'placement.bind 12',
    ]);
    expect(portal.bound.map((b) => b.userId)).toEqual([7, 12]);
  });

  it('says why when the portal refuses', async () => {
    const portal = fakePortal({ refuse: { 'placement.bind': 'ACCESS_DENIED' } });
    expect(await registerWorker(portal.rest, workerTarget(PAGE))).toEqual({ ok: false, error: 'ACCESS_DENIED' });
  });

  it('tells a binding to another server or without the error handler from a good one', () => {
    const target = workerTarget(PAGE);
    expect(bindingProblems([], target)).toEqual(['none']);
    expect(bindingProblems([{ handler: HANDLER, userId: 0, errorHandlerUrl: ERROR_HANDLER }], target)).toEqual([]);
    expect(
      bindingProblems([{ handler: 'https://old.example.com/', userId: 0, errorHandlerUrl: null }], target),
    ).toEqual(['handler', 'errorHandler']);
  });

  it.each([
    ['7, 12', [7, 12]],
    [' 7;12  40 7', [7, 12, 40]],
    ['7, x', null],
    ['0', null],
    ['-3', null],
  ])('reads the user ids %j as %j', (text, ids) => {
    expect(parseUserIds(text)).toEqual(ids);
  });
});

describe('the installer', () => {
  const run = async (
    portal: ReturnType<typeof fakePortal>,
    initialOption: unknown = [],
    stats = false,
    eventsHandler: string | null = null,
  ) => {
    const steps: string[] = [];
    let finished = 0;
    const done = await runInstall(
      {
        rest: portal.rest,
        installFinish: () => void ((finished += 1), steps.push('installFinish')),
        initialOption,
        serverKeepsStatistics: async () => stats,
        appEventsHandler: async () => eventsHandler,
      },
      workerTarget(PAGE),
      (report: StepReport) =>
        void steps.push(`${report.step}:${report.state}${report.detail ? `:${report.detail}` : ''}`),
    );
    return { done, steps, finished };
  };

  it('registers the worker, writes the default configuration, then finishes the install', async () => {
    const portal = fakePortal();
    expect(await run(portal)).toEqual({
      done: true,
      finished: 1,
      steps: [
        'worker:working',
        'worker:done:new',
        'config:working',
        'config:done',
        'events:working',
        'events:kept:no-credentials',
        'installFinish',
        'finish:done',
      ],
    });
    expect(JSON.parse(String(portal.option()))).toEqual(DEFAULT_OPTION);
    expect(DEFAULT_OPTION).toEqual({ outputs: [{ type: 'log' }, { type: 'callCard' }] });
  });

  it('binds the install and uninstall events to the server before finishing, when the server keeps the app credentials', async () => {
    const portal = fakePortal();
    const handler = 'https://relay.example.com/api/portal/events';
    const { steps } = await run(portal, [], true, handler);
    expect(steps.slice(-4)).toEqual(['events:working', 'events:done', 'installFinish', 'finish:done']);
    expect(portal.events).toEqual([
      { event: 'ONAPPINSTALL', handler },
      { event: 'ONAPPUNINSTALL', handler },
    ]);
  });

  it('binds nothing twice on a reinstall, and stops before finishing when the portal refuses to bind', async () => {
    const handler = 'https://relay.example.com/api/portal/events';
    const again = fakePortal({
      events: [
        { event: 'ONAPPINSTALL', handler },
        { event: 'ONAPPUNINSTALL', handler },
      ],
    });
    expect((await run(again, [], true, handler)).done).toBe(true);
    expect(again.events).toHaveLength(2);
    const refusing = fakePortal({ refuse: { 'event.bind': 'ACCESS_DENIED' } });
    const { done, steps, finished } = await run(refusing, [], true, handler);
    expect({ done, finished, last: steps.at(-1) }).toEqual({
      done: false,
      finished: 0,
      last: 'events:failed:ACCESS_DENIED',
    });
  });

  it('adds the server output to the default configuration when the server keeps hold statistics', async () => {
    const portal = fakePortal();
    expect((await run(portal, [], true)).done).toBe(true);
    expect(JSON.parse(String(portal.option()))).toEqual({
      outputs: [{ type: 'log' }, { type: 'callCard' }, { type: 'server' }],
    });
  });

  it('asks its own server, beside the app page, and says no when the server cannot answer', async () => {
    const asked: string[] = [];
    const answer =
      (body: unknown, status = 200) =>
      async (url: string | URL | Request) => {
        asked.push(String(url));
        return new Response(JSON.stringify(body), { status });
      };
    expect(await serverKeepsStatistics(answer({ stats: true }) as typeof fetch, 'https://relay.example.com/app/')).toBe(
      true,
    );
    expect(
      await serverKeepsStatistics(answer({ stats: false }) as typeof fetch, 'https://relay.example.com/app/'),
    ).toBe(false);
    expect(
      await serverKeepsStatistics(answer({ error: 'down' }, 503) as typeof fetch, 'https://relay.example.com/app/'),
    ).toBe(false);
    expect(
      await serverKeepsStatistics(
        (async () => {
          throw new TypeError('Failed to fetch');
        }) as typeof fetch,
        'https://relay.example.com/app/',
      ),
    ).toBe(false);
    expect(asked).toEqual(Array(3).fill('https://relay.example.com/api/status'));
  });

  it('keeps a configuration that exists, on a reinstall', async () => {
    const portal = fakePortal({
      bound: [{ handler: HANDLER, userId: 0, options: {} }],
      option: '{"outputs":[{"type":"broadcast"}]}',
    });
    const { done, steps } = await run(portal);
    expect(done).toBe(true);
    expect(steps).toContain('worker:done:replaced');
    expect(steps).toContain('config:kept');
    expect(portal.option()).toBe('{"outputs":[{"type":"broadcast"}]}');
  });

  it('stops before finishing when a step fails, so the portal keeps offering the installer', async () => {
    const portal = fakePortal({ refuse: { 'app.option.set': 'ACCESS_DENIED' } });
    expect(await run(portal)).toMatchObject({ done: false, finished: 0 });
    const failing = fakePortal({ refuse: { 'placement.bind': 'ERROR_WRONG_HANDLER_URL' } });
    const result = await run(failing);
    expect(result).toMatchObject({ done: false, finished: 0 });
    expect(result.steps).toEqual(['worker:working', 'worker:failed:ERROR_WRONG_HANDLER_URL']);
  });

  it.each([
    [undefined, false],
    [null, false],
    ['', false],
    [[], false],
    [{ holdRelay: '' }, false],
    ['{"outputs":[]}', true],
    [{ outputs: [] }, true],
    [{ holdRelay: '{"outputs":[]}' }, true],
  ])('treats %j as %s for "a configuration exists"', (value, exists) => {
    expect(hasOption(value)).toBe(exists);
  });
});
