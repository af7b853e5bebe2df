import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { StorageMode } from '../support/browser.ts';
import { useStackAndBrowser, type TestBrowser } from '../support/browser-per-file.ts';
import { clickRelayed, holdUntilSetBack, openPortal, type PortalPage } from '../support/portal-page.ts';
import type { Stack } from '../support/stack.ts';

const ALL = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'];

type Delivered = { type: string; data: { callId: string | null; holdSeq: number } };

/** `?option=` for a page whose worker relays to the simulator's sink (and any extra outputs). */
function optionQuery(stack: Stack, webhook: Record<string, unknown> = {}, extra: unknown[] = []): string {
  const outputs = [
    { type: 'log', on: ALL },
    { type: 'callCard', on: ALL },
    { type: 'webhook', url: `${stack.simulator.url}/sink`, secret: stack.simulator.sink.secret, on: ALL, ...webhook },
    ...extra,
  ];
  return `?option=${encodeURIComponent(JSON.stringify({ outputs }))}`;
}

/** Answers, then toggles hold `holds` times, each once the worker relayed the one before, then hangs up: 2 * holds/2 + 1 events. */
async function holdAndHangUp(portal: PortalPage, clicks: number): Promise<void> {
  await portal.click('incoming-call');
  await portal.click('answer');
  for (let i = 0; i < clicks; i++) await clickRelayed(portal, 'hold');
  await portal.click('hangup');
}

/**
 * A whole call without holds, and its call.summary arriving at the receiver: what a frame would still
 * send of earlier events (a second delivery, another portal's queue) has arrived by then.
 */
async function callAndWaitForItsSummary(portal: PortalPage, sink: Stack['simulator']['sink']): Promise<void> {
  const summaries = () => (sink.delivered() as Delivered[]).filter((e) => e.type === 'call.summary').length;
  const before = summaries();
  await portal.click('incoming-call');
  await portal.click('answer');
  await portal.click('hangup');
  await expect.poll(summaries, { timeout: 30_000 }).toBe(before + 1);
}

/** The worker's errors, less Chromium's own line for each failed request to a receiver set to fail. */
function workerErrors(portal: PortalPage): string[] {
  return portal.worker.errors.filter(
    (line) => !/Failed to load resource: the server responded with a status of 503/.test(line),
  );
}

function inOrderPerCall(events: Delivered[]): boolean {
  const last = new Map<string | null, number>();
  return events.every((event) => {
    const rank =
      event.type === 'call.summary'
        ? Number.MAX_SAFE_INTEGER
        : event.data.holdSeq * 2 + (event.type === 'hold.ended' ? 1 : 0);
    const ok = rank >= (last.get(event.data.callId) ?? 0);
    last.set(event.data.callId, rank);
    return ok;
  });
}

/** The file's cases in one storage mode; each mode has an .e2e.ts file of its own, so the two run side by side. */
export function describeDelivery(mode: StorageMode): void {
  describe(`webhook delivery in Chromium, third-party storage ${mode}`, () => {
    const ctx = useStackAndBrowser(mode);
    let stack: Stack;
    let browser: TestBrowser;
    const figures: Record<string, unknown> = {};

    beforeEach(() => {
      ({ stack, browser } = ctx);
      stack.simulator.sink.setMode('ok');
      stack.simulator.sink.clear();
    });
    afterAll(() => {
      console.info(`delivery figures (${mode}): ${JSON.stringify(figures)}`);
    });

    it(
      'delivers every event, in order per call, after the receiver was down for a few seconds',
      { timeout: 90_000 },
      async () => {
        const { sink } = stack.simulator;
        sink.setMode('fail');
        const portal = await openPortal(browser, stack, optionQuery(stack));
        await holdAndHangUp(portal, 4); // 2 holds: 4 hold events + call.summary
        // Down until the worker has tried three times, backing off in between (about 3 s).
        await expect.poll(() => sink.attempts.length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(3);
        const failedAttempts = sink.attempts.length;
        sink.setMode('ok');
        await expect.poll(() => sink.delivered().length, { timeout: 45_000, interval: 250 }).toBe(5);
        const delivered = sink.delivered() as Delivered[];
        expect(delivered.map((e) => e.type)).toEqual([
          'hold.started',
          'hold.ended',
          'hold.started',
          'hold.ended',
          'call.summary',
        ]);
        expect(inOrderPerCall(delivered)).toBe(true);
        expect(sink.summary()).toMatchObject({ duplicates: 0, badSignatures: 0 });
        expect(failedAttempts).toBeGreaterThan(1);
        figures.receiverDown = {
          sent: 5,
          attemptsWhileDown: failedAttempts,
          ...sink.summary(),
          lost: 5 - sink.summary().uniqueDelivered,
        };
        await portal.page.close();
      },
    );

    it(
      mode === 'allowed'
        ? 'delivers from the next frame what a replaced frame left pending'
        : 'hands what a replaced frame left pending in memory to the browser with keepalive',
      { timeout: 90_000 },
      async () => {
        const { sink } = stack.simulator;
        sink.setMode('fail');
        const portal = await openPortal(browser, stack, optionQuery(stack));
        await holdAndHangUp(portal, 2);
        // Two failed tries: the outbox now waits seconds before its next one.
        await expect.poll(() => sink.attempts.length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(2);
        sink.setMode('ok');
        await portal.reloadWorker();
        await expect.poll(() => sink.delivered().length, { timeout: 45_000, interval: 250 }).toBe(3);
        const types = (sink.delivered() as Delivered[]).map((e) => e.type);
        // The hand-over's keepalive requests run side by side: all arrive, their order is not promised.
        expect(mode === 'allowed' ? types : types.sort()).toEqual(
          mode === 'allowed'
            ? ['hold.started', 'hold.ended', 'call.summary']
            : ['call.summary', 'hold.ended', 'hold.started'],
        );
        expect(sink.summary().duplicates).toBe(0);
        expect(sink.summary().badSignatures).toBe(0);
        figures.frameReplaced = { sent: 3, ...sink.summary(), lost: 3 - sink.summary().uniqueDelivered };
        expect(workerErrors(portal)).toEqual([]);
        await portal.page.close();
      },
    );

    it(
      mode === 'allowed'
        ? 'delivers each event id exactly once when two frames get every click'
        : 'delivers each event id once when two frames without storage get every click',
      { timeout: 60_000 },
      async () => {
        const { sink, rest } = stack.simulator;
        const comment = {
          type: 'rest',
          method: 'crm.timeline.comment.add',
          on: ['hold.ended'],
          params: { fields: { ENTITY_TYPE: 'CONTACT', ENTITY_ID: 123, COMMENT: 'hold {{holdSeq}}' } },
        };
        const comments = () => rest.calls.filter((c) => c.method === 'crm.timeline.comment.add').length;
        const before = comments();
        const portal = await openPortal(browser, stack, optionQuery(stack, {}, [comment]));
        await portal.openSlider();
        await holdAndHangUp(portal, 6); // 3 holds: 6 hold events + call.summary
        await expect.poll(() => sink.summary().uniqueDelivered, { timeout: 30_000 }).toBe(7);
        await expect.poll(() => comments() - before).toBe(3);
        await callAndWaitForItsSummary(portal, sink); // a second delivery of anything would have arrived by then
        const summary = sink.summary();
        expect(summary.badSignatures).toBe(0);
        // With storage the frames share one outbox; without it they agree over a BroadcastChannel.
        expect(summary.duplicates).toBe(0);
        expect(inOrderPerCall(sink.delivered() as Delivered[])).toBe(true);
        expect(comments() - before).toBe(3); // the rest output acted once per hold too
        figures.twoFrames = { sent: 8, ...summary, lost: 8 - summary.uniqueDelivered };
        await portal.page.close();
      },
    );

    it.skipIf(mode === 'denied')(
      "keeps each portal's outbox to itself where two portals' frames share one storage partition",
      { timeout: 90_000 },
      async () => {
        const { sink } = stack.simulator;
        sink.setMode('fail');
        const portalA = await openPortal(browser, stack, `${optionQuery(stack)}&member=portal-a-member`);
        await holdAndHangUp(portalA, 2);
        await expect.poll(() => sink.attempts.length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(1);
        await portalA.page.close();
        sink.setMode('ok');
        const memberOf = () => (sink.delivered() as { data: { memberId: string } }[]).map((e) => e.data.memberId);
        // Portal B's frame, in the same partition, with the same receiver: it must not send A's queue.
        const portalB = await openPortal(browser, stack, `${optionQuery(stack)}&member=portal-b-member`);
        await portalB.click('incoming-call');
        await portalB.click('answer');
        await portalB.click('hold');
        await expect.poll(memberOf, { timeout: 20_000 }).toContain('portal-b-member');
        // B's call ends: its call.summary comes after anything B would send of A's queue.
        await portalB.click('hangup');
        await expect.poll(() => memberOf().filter((m) => m === 'portal-b-member').length, { timeout: 20_000 }).toBe(3);
        expect(memberOf()).not.toContain('portal-a-member');
        await portalB.page.close();
        const again = await openPortal(browser, stack, `${optionQuery(stack)}&member=portal-a-member`);
        await expect.poll(() => memberOf().filter((m) => m === 'portal-a-member').length, { timeout: 30_000 }).toBe(3);
        await again.page.close();
      },
    );

    it.skipIf(mode === 'denied')(
      'delivers an event whose frame went before the webhook code loaded (saved with the hold state)',
      { timeout: 90_000 },
      async () => {
        const { sink } = stack.simulator;
        // The first frame never gets the webhook's code: its events exist only beside the hold state.
        await browser.context.route(/\/assets\/webhook-[^/]*\.js$/, (route) => route.abort());
        const portal = await openPortal(browser, stack, optionQuery(stack));
        await portal.click('incoming-call');
        await portal.click('answer');
        await portal.click('hold');
        await expect
          .poll(() => portal.worker.lines.some((l) => /could not load its code/.test(l)), { timeout: 10_000 })
          .toBe(true);
        expect(sink.attempts).toEqual([]);
        await browser.context.unroute(/\/assets\/webhook-[^/]*\.js$/);
        await portal.reloadWorker();
        await expect
          .poll(() => (sink.delivered() as Delivered[]).map((e) => e.type), { timeout: 20_000 })
          .toEqual(['hold.started']);
        expect(sink.summary().duplicates).toBe(0);
        // The one attempt ever made is the next frame's, after the reload: the first frame sent nothing.
        expect(sink.attempts).toHaveLength(1);
        await portal.page.close();
      },
    );

    it(
      'sets the card back and emits hold.failed within timeoutMs + 1 s when the confirm receiver fails',
      { timeout: 60_000 },
      async () => {
        const { sink } = stack.simulator;
        sink.setMode('hang');
        const timeoutMs = 1500;
        const portal = await openPortal(browser, stack, optionQuery(stack, { confirm: true, timeoutMs }));
        const setBackMs = await holdUntilSetBack(portal, timeoutMs + 1000);
        await expect.poll(() => portal.worker.events.map((e) => e?.type)).toEqual(['hold.started', 'hold.failed']);
        await portal.worker.settled();
        expect(portal.worker.events[1]?.data).toMatchObject({ held: false, holdSeq: 1 });
        await expect
          .poll(async () => (await portal.card())?.statusText)
          .toMatch(/^Hold failed: no answer within \d+ ms$/);
        expect(setBackMs).toBeLessThan(timeoutMs + 1000);
        figures.confirm = { timeoutMs, cardSetBackAfterMs: setBackMs };
        await portal.page.close();
      },
    );

    it(
      'takes a redirect for a refusal in the browser too: never followed, no quick retries, the card set back naming it',
      { timeout: 60_000 },
      async () => {
        const { sink } = stack.simulator;
        sink.setMode('redirect');
        const timeoutMs = 1500;
        const portal = await openPortal(browser, stack, optionQuery(stack, { confirm: true, timeoutMs }));
        await portal.click('incoming-call');
        await portal.click('answer');
        await portal.click('hold');
        await expect
          .poll(async () => (await portal.card())?.statusText)
          .toMatch(/^Hold failed: HTTP 3xx: redirects are not followed$/);
        expect((await portal.card())?.held).toBe(false);
        // One request: the browser hid the redirect (an opaque answer), the worker did not try again or follow it.
        expect(sink.attempts.map((a) => a.status)).toEqual([307]);
        await portal.page.close();
      },
    );

    it("fills the REST template and calls the portal with the operator's own token", { timeout: 60_000 }, async () => {
      const rest = {
        type: 'rest',
        method: 'crm.timeline.comment.add',
        on: ['hold.ended'],
        params: {
          fields: {
            ENTITY_TYPE: '{{crmEntityType}}',
            ENTITY_ID: '{{crmEntityId}}',
            COMMENT: 'Call on hold for {{heldSeconds}} s (hold {{holdSeq}})',
          },
        },
      };
      const seen = stack.simulator.rest.calls.length;
      const portal = await openPortal(browser, stack, optionQuery(stack, { enabled: false }, [rest]));
      await portal.click('incoming-call');
      await portal.click('answer');
      await portal.click('hold');
      // Held for over a second by the worker's own timestamp of the hold.
      await expect.poll(() => portal.worker.events[0]?.timestamp).toEqual(expect.any(String));
      const heldSince = Date.parse(portal.worker.events[0]?.timestamp ?? '');
      await expect.poll(() => Date.now() - heldSince, { timeout: 5000 }).toBeGreaterThan(1000);
      await portal.click('hold');
      const calls = () => stack.simulator.rest.calls.slice(seen).filter((c) => c.method === 'crm.timeline.comment.add');
      await expect.poll(() => calls().length).toBe(1);
      // Whole seconds of the hold the worker measured: about 1 s, more when the machine is busy.
      await expect.poll(() => portal.worker.events.map((e) => e?.type)).toEqual(['hold.started', 'hold.ended']);
      const heldSeconds = Math.round((portal.worker.events[1]?.data.heldMs ?? Number.NaN) / 1000);
      expect(heldSeconds).toBeGreaterThanOrEqual(1);
      expect(calls()[0]).toMatchObject({
        params: {
          fields: { ENTITY_TYPE: 'CONTACT', ENTITY_ID: 123, COMMENT: `Call on hold for ${heldSeconds} s (hold 1)` },
        },
        userId: 7,
        status: 200,
      });
      expect(portal.worker.errors).toEqual([]);
      await portal.page.close();
    });
  });
}
