import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ADMIN, OPERATOR, RestPortal } from '../../../src/simulator/rest-portal.ts';

const APP = 'http://localhost:8080';

/** Calls the simulator's REST endpoint as a frame would, without a server. */
async function call(
  portal: RestPortal,
  method: string,
  params: Record<string, unknown>,
  user = ADMIN,
): Promise<Record<string, unknown>> {
  const { AUTH_ID } = portal.grant(user);
  const req = Object.assign(Readable.from([Buffer.from(JSON.stringify({ ...params, auth: AUTH_ID }))]), {
    method: 'POST',
    url: `/rest/${method}`,
    headers: {},
  });
  let body = '';
  const res = { req, writeHead: () => res, end: (text: Buffer | string) => void (body = String(text)) };
  await portal.handle(req as unknown as IncomingMessage, res as unknown as ServerResponse, method);
  return JSON.parse(body) as Record<string, unknown>;
}

const worker = (extra: Record<string, unknown> = {}) => ({
  PLACEMENT: 'PAGE_BACKGROUND_WORKER',
  HANDLER: `${APP}/`,
  OPTIONS: { errorHandlerUrl: `${APP}/placement-error` },
  LANG_ALL: { en: { TITLE: 'Hold relay', DESCRIPTION: 'Relays holds' } },
  ...extra,
});

describe('the simulated portal’s placements, as the app page meets them', () => {
  it('takes one PAGE_BACKGROUND_WORKER per app, and answers ERROR_PLACEMENT_MAX_COUNT to a second', async () => {
    const portal = new RestPortal(APP);
    expect(await call(portal, 'placement.bind', worker())).toMatchObject({ result: true });
    expect(await call(portal, 'placement.bind', worker())).toMatchObject({ error: 'ERROR_PLACEMENT_MAX_COUNT' });
    expect(await call(portal, 'placement.unbind', { PLACEMENT: 'PAGE_BACKGROUND_WORKER' })).toMatchObject({
      result: { count: 1 },
    });
    expect(await call(portal, 'placement.bind', worker())).toMatchObject({ result: true });
  });

  it('takes one per user with USER_ID, and unbinds one user’s alone', async () => {
    const portal = new RestPortal(APP);
    await call(portal, 'placement.bind', worker({ USER_ID: 7 }));
    await call(portal, 'placement.bind', worker({ USER_ID: 12 }));
    expect(await call(portal, 'placement.bind', worker({ USER_ID: 7 }))).toMatchObject({
      error: 'ERROR_PLACEMENT_MAX_COUNT',
    });
    await call(portal, 'placement.unbind', { PLACEMENT: 'PAGE_BACKGROUND_WORKER', USER_ID: 7 });
    expect(portal.placements.map((p) => p.userId)).toEqual([12]);
  });

  it('lists bindings to admins as placement.get does, with the title from LANG_ALL', async () => {
    const portal = new RestPortal(APP);
    await call(portal, 'placement.bind', worker());
    expect(await call(portal, 'placement.get', {})).toMatchObject({
      result: [
        {
          placement: 'PAGE_BACKGROUND_WORKER',
          userId: 0,
          handler: `${APP}/`,
          options: { errorHandlerUrl: `${APP}/placement-error` },
          title: 'Hold relay',
          description: 'Relays holds',
          langAll: { en: { TITLE: 'Hold relay' } },
        },
      ],
    });
    expect(await call(portal, 'placement.get', {}, OPERATOR)).toMatchObject({ error: 'ACCESS_DENIED' });
  });

  it('refuses a handler outside the app’s domain, and binding or saving options as a non-admin', async () => {
    const portal = new RestPortal(APP);
    expect(await call(portal, 'placement.bind', worker({ HANDLER: 'https://elsewhere.example/' }))).toMatchObject({
      error: 'ERROR_WRONG_HANDLER_URL',
    });
    expect(await call(portal, 'placement.bind', worker(), OPERATOR)).toMatchObject({ error: 'ACCESS_DENIED' });
    expect(await call(portal, 'app.option.set', { options: { holdRelay: '{}' } }, OPERATOR)).toMatchObject({
      error: 'ACCESS_DENIED',
    });
    expect(portal.placements).toEqual([]);
    expect(portal.appOptions).toEqual({});
  });

  it('refuses USER_ID for placements other than PAGE_BACKGROUND_WORKER', async () => {
    const portal = new RestPortal(APP);
    expect(
      await call(portal, 'placement.bind', worker({ PLACEMENT: 'CRM_DEAL_DETAIL_TAB', USER_ID: 7 })),
    ).toMatchObject({ error: 'ERROR_PLACEMENT_USER_MODE' });
  });
});
