// Server-side webhooks in Chromium against the simulator: an admin adds one on the app page, the
// operator's worker sends clicks to the app server, and the server signs them with a secret that no
// frame and no application option ever holds.
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAppPage, type AppPage } from '../support/app-page.ts';
import { launchBrowser, type LaunchedBrowser } from '../support/browser.ts';
import { clickRelayed, holdUntilSetBack, openPortal, type PortalPage } from '../support/portal-page.ts';
import { startStatsStack, type StatsStack } from '../support/stats-stack.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';

const ALL = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'];
type Sim = { messages: { direction: string; frame: string; text: string }[] };
declare const portalSim: Sim;

let stack: StatsStack;
let browser: LaunchedBrowser;
let receiver: Receiver;
const pages: { page: { close(): Promise<void> } }[] = [];

beforeAll(async () => {
  stack = await startStatsStack({ WEBHOOKS_ALLOW_PRIVATE: '1' });
  browser = await launchBrowser('allowed');
}, 120_000);
afterEach(async () => {
  for (const p of pages.splice(0)) await p.page.close();
  await receiver?.close();
  const { webhooks } = (await (await stack.api('/api/webhooks')).json()) as { webhooks: { id: string }[] };
  for (const { id } of webhooks) await stack.api(`/api/webhooks/${id}`, { method: 'DELETE' });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const option = (outputs: unknown[]) => `?option=${encodeURIComponent(JSON.stringify({ outputs }))}`;

async function operatorPage(outputs: unknown[]): Promise<PortalPage> {
  const portal = await openPortal(browser, stack, option(outputs));
  pages.push(portal);
  return portal;
}

async function adminAppPage(): Promise<AppPage> {
  const app = await openAppPage(browser, stack, '?page=app&admin=1');
  pages.push(app);
  await app.ready('settings');
  return app;
}

/** Everything the portal posted to any frame, and every application option, as one text. */
async function portalTexts(...portals: { page: PortalPage['page'] }[]): Promise<string> {
  const logs = await Promise.all(
    portals.map((p) => p.page.evaluate(() => portalSim.messages.map((m) => `${m.direction} ${m.text}`).join('\n'))),
  );
  return [...logs, JSON.stringify(stack.simulator.rest.appOptions)].join('\n');
}

async function holdTwiceAndHangUp(portal: PortalPage): Promise<void> {
  await portal.click('incoming-call');
  await portal.click('answer');
  await clickRelayed(portal, 'hold');
  await portal.click('hold');
  await portal.click('hangup');
}

describe('server-side webhooks in Chromium', () => {
  it(
    'an admin adds one on the app page; every event arrives signed with a secret no frame or option ever held; a new secret keeps deliveries valid',
    { timeout: 120_000 },
    async () => {
      receiver = await startReceiver();
      const app = await adminAppPage();
      const panel = app.app.getByTestId('server-webhooks');
      await panel.getByTestId('new-webhook-url').fill(receiver.url);
      for (const type of ['hold.failed', 'call.summary']) await panel.locator(`input[value="${type}"]`).check();
      await panel.getByTestId('add-webhook').click();
      const secretBox = panel.getByTestId('webhook-secret');
      await secretBox.waitFor();
      const secret = await secretBox.inputValue();
      expect(secret).toMatch(/^whsec_/);
      receiver.sink.secret = secret;

      const portal = await operatorPage([{ type: 'log' }, { type: 'server' }]);
      await holdTwiceAndHangUp(portal);
      await expect.poll(() => receiver.sink.delivered().length, { timeout: 20_000 }).toBe(3);
      expect(receiver.sink.summary()).toMatchObject({ badSignatures: 0, duplicates: 0 });
      expect(receiver.sink.delivered().map((e) => e.type)).toEqual(['hold.started', 'hold.ended', 'call.summary']);
      expect(receiver.sink.delivered()[0]).toMatchObject({ verified: true, data: { userId: 7, domain: stack.domain } });

      // A new secret from the app page: deliveries carry both signatures during the grace period.
      await panel.getByTestId('rotate-secret').click();
      await expect.poll(() => secretBox.inputValue()).not.toBe(secret);
      const rotated = await secretBox.inputValue();
      receiver.sink.secret = rotated;
      await holdTwiceAndHangUp(portal);
      await expect.poll(() => receiver.sink.delivered().length, { timeout: 20_000 }).toBe(6);
      expect(receiver.sink.summary()).toMatchObject({ badSignatures: 0, duplicates: 0 });
      const last = receiver.sink.attempts.at(-1);
      const headers = receiver.headers.at(-1) ?? {};
      for (const key of [secret, rotated])
        expect(new Webhook(key).verify(JSON.stringify(last?.event), headers)).toMatchObject({ type: 'call.summary' });

      // Neither secret ever reached a frame, nor an application option.
      const seen = await portalTexts(portal, app);
      for (const key of [secret, rotated]) {
        expect(seen).not.toContain(key.slice('whsec_'.length, 'whsec_'.length + 16));
      }
      // The delivery log shows them delivered.
      await panel.getByTestId('show-log').click();
      await expect.poll(() => panel.getByTestId('delivery').count()).toBe(6);
      expect(await panel.locator('[data-testid="delivery"][data-status="delivered"]').count()).toBe(6);
      await app.screenshot('server-webhooks');
    },
  );

  it(
    'confirm mode through the server sets the card back within timeoutMs + 1 s when the receiver fails',
    { timeout: 60_000 },
    async () => {
      receiver = await startReceiver();
      receiver.sink.setMode('hang');
      const timeoutMs = 1500;
      const created = await stack.api('/api/webhooks', {
        body: { url: receiver.url, on: ['hold.started', 'hold.ended'], confirm: true, timeoutMs },
      });
      expect(created.status).toBe(201);
      const portal = await operatorPage([
        { type: 'callCard', on: ALL },
        { type: 'server', confirm: true, timeoutMs },
      ]);
      const setBackMs = await holdUntilSetBack(portal, timeoutMs + 1000);
      expect(setBackMs).toBeLessThan(timeoutMs + 1000);
      await expect
        .poll(async () => (await portal.card())?.statusText)
        .toMatch(/^Hold failed: no answer within 1500 ms$/);
      console.info(`server confirm: card set back ${setBackMs} ms after the click (timeoutMs ${timeoutMs})`);
    },
  );
});
