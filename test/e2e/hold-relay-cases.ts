import { describe, expect, it } from 'vitest';
import type { StorageMode } from '../support/browser.ts';
import { useStackAndBrowser } from '../support/browser-per-file.ts';
import { HOLD_EVENT, openPortal } from '../support/portal-page.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wall-clock bounds around a test action: the page handled it in between, whatever the machine's load. */
async function timed(action: () => Promise<unknown>): Promise<{ before: number; after: number }> {
  const before = Date.now();
  await action();
  return { before, after: Date.now() };
}

/** The worker stamps a click when its message arrives; two clicks' messages may lag by different amounts. */
const DELIVERY_SLACK_MS = 250;

/** Whole seconds in the card's "On hold m:ss", NaN for any other text. */
function shownSeconds(statusText: string | undefined): number {
  const match = /^On hold (\d+):(\d\d)$/.exec(statusText ?? '');
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
}

/** The file's cases in one storage mode; each mode has an .e2e.ts file of its own, so the two run side by side. */
export function describeHoldRelay(mode: StorageMode): void {
  describe(`the built worker in Chromium, third-party storage ${mode}`, () => {
    const ctx = useStackAndBrowser(mode);

    it('says plainly that Bitrix24 must open it when opened on its own', async () => {
      const page = await ctx.browser.context.newPage();
      const response = await page.goto(ctx.stack.appUrl);
      expect(response?.status()).toBe(200);
      await expect.poll(() => page.textContent('body')).toContain('Bitrix24 must open it');
      await page.close();
    });

    it('relays answer, hold 2 s, unhold, hold, hang up while held, and shows the running hold in the card', async () => {
      const portal = await openPortal(ctx.browser, ctx.stack);
      await portal.click('incoming-call');
      await portal.click('answer');
      const held = await timed(() => portal.click('hold'));
      // The card counts the running hold: a tick has shown a whole second.
      await expect.poll(async () => shownSeconds((await portal.card())?.statusText)).toBeGreaterThanOrEqual(1);
      await expect.poll(async () => shownSeconds((await portal.card())?.statusText)).toBeGreaterThanOrEqual(2); // held 2 s by the card's own count
      const resumed = await timed(() => portal.click('hold'));
      await expect.poll(async () => (await portal.card())?.statusText).toBe('');
      await portal.click('hold');
      await expect.poll(() => portal.worker.events.length).toBe(3); // held again: the hang-up comes while held
      await portal.click('hangup');
      await expect.poll(() => portal.worker.events.length).toBe(5);
      await portal.worker.settled();
      const { events, errors } = portal.worker;
      expect(events.map((e) => e.type)).toEqual([
        'hold.started',
        'hold.ended',
        'hold.started',
        'hold.ended',
        'call.summary',
      ]);
      const heldMs = events[1]?.data.heldMs ?? Number.NaN;
      expect(heldMs).toBeGreaterThanOrEqual(resumed.before - held.after - DELIVERY_SLACK_MS);
      expect(heldMs).toBeLessThanOrEqual(resumed.after - held.before + DELIVERY_SLACK_MS);
      expect(events[4]?.data).toMatchObject({
        holdCount: 2,
        callId: (await portal.card())?.callId ?? events[0]?.data.callId,
      });
      expect(events[0]?.data).toMatchObject({
        phoneNumber: '+19001234567',
        crmEntityType: 'CONTACT',
        crmEntityId: 123,
        userId: 7,
        holdSeq: 1,
      });
      expect(new Set(events.map((e) => e.id)).size).toBe(5);
      expect(errors).toEqual([]);
      const monitor = portal.page.frameLocator('[data-testid="monitor-frame"]');
      // The simulator's default option broadcasts call.summary too.
      await expect.poll(() => monitor.locator('tbody tr').count()).toBe(5);
      await portal.page.close();
    });

    // The whole matrix of malformed payloads is in test/unit/portal/payloads.test.ts; one case end to end.
    it.each([['an object', '{"held":true}']])(
      'relays nothing for a hold payload of %s, logs one clear error, and relays the next real click',
      async (_name, raw) => {
        const portal = await openPortal(ctx.browser, ctx.stack);
        await portal.click('incoming-call');
        await portal.click('answer');
        expect(await portal.fire(HOLD_EVENT, raw)).toBe(1);
        await expect.poll(() => portal.worker.errors.length).toBe(1);
        expect(portal.worker.errors[0]).toMatch(
          /ignored BackgroundCallCard::holdButtonClick: expected a boolean, got /,
        );
        await portal.click('hold');
        await expect.poll(() => portal.worker.events.length).toBe(1);
        await portal.worker.settled();
        expect(portal.worker.events[0]?.type).toBe('hold.started');
        await portal.page.close();
      },
    );

    it('relays a hold clicked within 100 ms of the worker subscribing', async () => {
      const portal = await openPortal(ctx.browser, ctx.stack);
      await portal.click('incoming-call');
      const msAfterBind = await portal.reloadAndHoldOnBind();
      expect(msAfterBind).toBeLessThan(100);
      await expect.poll(() => portal.worker.events.length).toBe(1);
      await portal.worker.settled();
      expect(portal.worker.events[0]?.type).toBe('hold.started');
      expect(portal.worker.errors).toEqual([]);
      await portal.page.close();
    });

    it(
      mode === 'allowed'
        ? 'reports the full hold duration when the worker frame is replaced mid-hold'
        : 'keeps working without storage when the worker frame is replaced mid-hold, and says why the hold is lost',
      async () => {
        const portal = await openPortal(ctx.browser, ctx.stack);
        await portal.click('incoming-call');
        await portal.click('answer');
        const held = await timed(() => portal.click('hold'));
        // The card has counted 2 s of the hold when the frame is replaced.
        await expect.poll(async () => shownSeconds((await portal.card())?.statusText)).toBeGreaterThanOrEqual(2);
        await portal.reloadWorker();
        if (mode === 'allowed') {
          // The new frame counts from the original click, not from its own start 1.5 s ago.
          const sinceClick = Date.now() - held.after;
          await expect
            .poll(async () => shownSeconds((await portal.card())?.statusText))
            .toBeGreaterThanOrEqual(Math.floor(sinceClick / 1000) - 1);
        }
        const resumed = await timed(() => portal.click('hold'));
        if (mode === 'allowed') await expect.poll(() => portal.worker.events.length).toBe(2);
        else await sleep(500); // the new frame relays nothing: no later event shows it
        await portal.worker.settled();
        const { events, lines, errors } = portal.worker;
        if (mode === 'allowed') {
          expect(events.map((e) => e.type)).toEqual(['hold.started', 'hold.ended']);
          const heldMs = events[1]?.data.heldMs ?? Number.NaN;
          expect(heldMs).toBeGreaterThanOrEqual(resumed.before - held.after - DELIVERY_SLACK_MS);
          expect(heldMs).toBeLessThanOrEqual(resumed.after - held.before + DELIVERY_SLACK_MS);
          expect(events[1]?.data.holdSeq).toBe(1);
        } else {
          expect(events.map((e) => e.type)).toEqual(['hold.started']);
          expect(lines.filter((l) => l.startsWith('warning: browser storage is not available'))).toHaveLength(2);
        }
        expect(errors).toEqual([]);
        await portal.page.close();
      },
    );

    it(
      mode === 'allowed'
        ? 'keeps the answer time when the worker frame is replaced mid-call: talk counts from the answer click to the hang-up'
        : 'counts talk from when a frame without storage joined the connected call, never from a made-up earlier answer',
      async () => {
        const portal = await openPortal(ctx.browser, ctx.stack);
        await portal.click('incoming-call');
        const answered = await timed(() => portal.click('answer'));
        await sleep(500);
        const replaced = await timed(() => portal.reloadWorker());
        await sleep(500);
        const hungUp = await timed(() => portal.click('hangup'));
        await expect.poll(() => portal.worker.events.filter((e) => e?.type === 'call.summary').length).toBe(1);
        await portal.worker.settled();
        const summary = portal.worker.events.find((e) => e.type === 'call.summary');
        // The new frame made the summary; with storage it read the answer time the old frame stored.
        const from = mode === 'allowed' ? answered : replaced;
        const answeredAt = Date.parse(summary?.data.answeredAt ?? '');
        expect(answeredAt).toBeGreaterThanOrEqual(from.before - DELIVERY_SLACK_MS);
        expect(answeredAt).toBeLessThanOrEqual(from.after + DELIVERY_SLACK_MS);
        const talkMs = summary?.data.talkMs ?? Number.NaN;
        expect(talkMs).toBeGreaterThanOrEqual(hungUp.before - from.after - DELIVERY_SLACK_MS);
        expect(talkMs).toBeLessThanOrEqual(hungUp.after - from.before + DELIVERY_SLACK_MS);
        if (mode === 'allowed') expect(talkMs).toBeGreaterThanOrEqual(1000 - DELIVERY_SLACK_MS);
        expect(portal.worker.errors).toEqual([]);
        await portal.page.close();
      },
    );

    it('counts an outgoing call from its first hold click, and one registered connected from its card', async () => {
      const portal = await openPortal(ctx.browser, ctx.stack);
      const summaries = () => portal.worker.events.filter((e) => e?.type === 'call.summary');
      await portal.click('outgoing-call');
      expect(await portal.page.getByTestId('hold').isDisabled()).toBe(true); // as the portal: no Hold before the call connects
      expect(await portal.page.getByTestId('answer').isDisabled()).toBe(true);
      await portal.click('callee-answers'); // the portal tells the app nothing of this
      await sleep(300);
      const held = await timed(() => portal.click('hold'));
      await portal.click('hold');
      const hungUp = await timed(() => portal.click('hangup'));
      await expect.poll(() => summaries().length).toBe(1);

      const registered = await timed(() => portal.click('outgoing-connected'));
      await sleep(300);
      const closed = await timed(() => portal.click('hangup'));
      await expect.poll(() => summaries().length).toBe(2);
      await portal.worker.settled();

      const [dialled, connected] = summaries();
      expect(dialled?.data.direction).toBe('outgoing');
      const bounds = (
        event: typeof dialled,
        start: { before: number; after: number },
        end: { before: number; after: number },
      ) => {
        const at = Date.parse(event?.data.answeredAt ?? '');
        expect(at).toBeGreaterThanOrEqual(start.before - DELIVERY_SLACK_MS);
        expect(at).toBeLessThanOrEqual(start.after + DELIVERY_SLACK_MS);
        expect(event?.data.talkMs).toBeGreaterThanOrEqual(end.before - start.after - DELIVERY_SLACK_MS);
        expect(event?.data.talkMs).toBeLessThanOrEqual(end.after - start.before + DELIVERY_SLACK_MS);
      };
      bounds(dialled, held, hungUp);
      bounds(connected, registered, closed);
      expect(portal.worker.errors).toEqual([]);
      await portal.page.close();
    });
  });
}
