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

    it('relays answer, hold 3 s, unhold, hold, hang up while held, and shows the running hold in the card', async () => {
      const portal = await openPortal(ctx.browser, ctx.stack);
      await portal.click('incoming-call');
      await portal.click('answer');
      const held = await timed(() => portal.click('hold'));
      // The card counts the running hold: a tick has shown a whole second.
      await expect.poll(async () => shownSeconds((await portal.card())?.statusText)).toBeGreaterThanOrEqual(1);
      await expect.poll(async () => shownSeconds((await portal.card())?.statusText)).toBeGreaterThanOrEqual(3); // held 3 s by the card's own count
      const resumed = await timed(() => portal.click('hold'));
      await expect.poll(async () => (await portal.card())?.statusText).toBe('');
      await portal.click('hold');
      await expect.poll(() => portal.worker.events.length).toBe(3); // held again: the hang-up comes while held
      await portal.click('hangup');
      await expect.poll(() => portal.worker.events.length).toBe(5);
      await portal.worker.settled();
      const { events, errors } = portal.worker;
      expect(events.map((e) => e.type)).toEqual(['hold.started', 'hold.ended', 'hold.started', 'hold.ended', 'call.summary']);
      const heldMs = events[1]?.data.heldMs ?? Number.NaN;
      expect(heldMs).toBeGreaterThanOrEqual(resumed.before - held.after - DELIVERY_SLACK_MS);
      expect(heldMs).toBeLessThanOrEqual(resumed.after - held.before + DELIVERY_SLACK_MS);
      expect(events[4]?.data).toMatchObject({ holdCount: 2, callId: (await portal.card())?.callId ?? events[0]?.data.callId });
      expect(events[0]?.data).toMatchObject({ phoneNumber: '+19001234567', crmEntityType: 'CONTACT', crmEntityId: 123, userId: 7, holdSeq: 1 });
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
        expect(await portal.fire(HOLD_EVENT, raw)).toBe(1);
        await expect.poll(() => portal.worker.errors.length).toBe(1);
        expect(portal.worker.errors[0]).toMatch(/ignored BackgroundCallCard::holdButtonClick: expected a boolean, got /);
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
        const held = await timed(() => portal.click('hold'));
        // The card has counted 3 s of the hold when the frame is replaced.
        await expect.poll(async () => shownSeconds((await portal.card())?.statusText)).toBeGreaterThanOrEqual(3);
        await portal.reloadWorker();
        if (mode === 'allowed') {
          // The new frame counts from the original click, not from its own start 1.5 s ago.
          const sinceClick = Date.now() - held.after;
          await expect.poll(async () => shownSeconds((await portal.card())?.statusText)).toBeGreaterThanOrEqual(Math.floor(sinceClick / 1000) - 1);
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
  });
}
