import { describe, expect, it } from 'vitest';
import { STORAGE_MODES } from '../support/browser.ts';
import { useStackAndBrowser } from '../support/browser-per-file.ts';
import { openPortal } from '../support/portal-page.ts';

// The built worker leaves luxon out and stands in for it with exports that throw and log (see
// src/build/no-luxon.ts). This drives every SDK path the worker uses, each through to the portal's
// answer, so a path that reached the stand-in would show here as an error.

type Sim = { messages: { direction: string; text: string }[] };
declare const portalSim: Sim;

const ALL = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'];

describe.each(STORAGE_MODES)('the SDK paths of the luxon-free worker in Chromium, third-party storage %s', (mode) => {
  const ctx = useStackAndBrowser(mode);

  it(
    'gets init data, binds events, sends card commands, refreshes an expired token and calls REST, with no error',
    { timeout: 60_000 },
    async () => {
      const { rest } = ctx.stack.simulator;
      const comment = {
        type: 'rest',
        method: 'crm.timeline.comment.add',
        on: ['hold.ended'],
        params: {
          fields: { ENTITY_TYPE: '{{crmEntityType}}', ENTITY_ID: '{{crmEntityId}}', COMMENT: 'hold {{holdSeq}}' },
        },
      };
      const option = { outputs: [{ type: 'log', on: ALL }, { type: 'callCard', on: ALL }, comment] };
      const seen = rest.calls.length;
      const portal = await openPortal(ctx.browser, ctx.stack, `?option=${encodeURIComponent(JSON.stringify(option))}`);
      await portal.click('incoming-call');
      await portal.click('answer');
      await portal.click('hold');
      await expect.poll(async () => (await portal.card())?.statusText).toMatch(/^On hold 0:0\d$/);
      rest.expireTokens();
      await expect.poll(() => portal.worker.events.length).toBe(1); // the hold went out before the tokens expired
      await portal.click('hold');
      const comments = () => rest.calls.slice(seen).filter((c) => c.method === 'crm.timeline.comment.add');
      await expect.poll(() => comments().map((c) => c.error ?? c.status)).toEqual(['expired_token', 200]);
      expect(comments()[1]).toMatchObject({
        userId: 7,
        params: { fields: { ENTITY_TYPE: 'CONTACT', ENTITY_ID: 123, COMMENT: 'hold 1' } },
      });
      await expect.poll(async () => (await portal.card())?.statusText).toBe('');
      await portal.click('hangup');
      await expect.poll(() => portal.worker.events.length).toBe(3);
      await portal.worker.settled();
      expect(portal.worker.events.map((e) => e.type)).toEqual(['hold.started', 'hold.ended', 'call.summary']);
      expect(portal.worker.events[0]?.data).toMatchObject({ userId: 7, crmEntityId: 123 });

      const messages = await portal.page.evaluate(() =>
        portalSim.messages.map(({ direction, text }) => ({ direction, text })),
      );
      const sent = new Set(messages.filter((m) => m.direction === 'in').map((m) => m.text.split(':')[0]));
      for (const method of ['getInitData', 'placementBindEvent', 'CallCardSetStatusText', 'refreshAuth'])
        expect(sent, `the worker sent ${method}`).toContain(method);
      expect(messages.filter((m) => m.direction === 'dropped')).toEqual([]);
      // The portal's 401 is logged by Chromium itself; anything else (the luxon stand-in logs) fails the test.
      expect(portal.worker.errors.filter((line) => !/status of 401/.test(line))).toEqual([]);
      await portal.page.close();
    },
  );
});
