import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openAppPage, type AppPage } from '../support/app-page.ts';
import { launchBrowser, type LaunchedBrowser } from '../support/browser.ts';
import { startStack, type Stack } from '../support/stack.ts';

const URL_RULE = 'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])';
const LOG_ONLY = JSON.stringify({ outputs: [{ type: 'log' }] });

// One browser for the file (a profile that allows the frames storage, desktop Chrome's default);
// each test opens its own page and starts from a portal state it sets itself.
describe('the app page in Chromium, inside the simulated portal', () => {
  let stack: Stack;
  let browser: LaunchedBrowser;
  let app: AppPage | null = null;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser('allowed')]);
  });
  beforeEach(async () => {
    await app?.page.close();
    app = null;
    const { rest, sink } = stack.simulator;
    rest.calls.length = 0;
    rest.placements.length = 0;
    delete rest.appOptions.holdRelay;
    sink.setMode('ok');
    sink.clear();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const calls = (method?: string) =>
    stack.simulator.rest.calls.filter((c) => method === undefined || c.method === method);
  const open = async (query: string, view: 'install' | 'settings') => {
    app = await openAppPage(browser, stack, query);
    await app.ready(view);
    return app;
  };

  it('a fresh install binds the worker to this server, writes the default configuration, then finishes the install', async () => {
    const page = await open('?page=app&install=1&admin=1&finish=stay', 'install');
    await page.app.getByTestId('install-start').click();
    await expect.poll(() => page.installFinishes()).toBe(1);

    const binds = calls('placement.bind');
    expect(binds).toHaveLength(1);
    expect(binds[0]?.params).toMatchObject({
      PLACEMENT: 'PAGE_BACKGROUND_WORKER',
      HANDLER: stack.appUrl,
      OPTIONS: { errorHandlerUrl: `${stack.appUrl}placement-error` },
      LANG_ALL: { en: { TITLE: 'Hold relay' }, ru: { TITLE: 'Hold relay' }, de: { TITLE: 'Hold relay' } },
    });
    expect(binds[0]?.params).not.toHaveProperty('USER_ID');
    expect(binds[0]?.error).toBeNull();
    expect(stack.simulator.rest.placements.map((p) => [p.placement, p.handler, p.userId])).toEqual([
      ['PAGE_BACKGROUND_WORKER', stack.appUrl, 0],
    ]);
    expect(JSON.parse(stack.simulator.rest.appOptions.holdRelay ?? 'null')).toEqual({
      outputs: [{ type: 'log' }, { type: 'callCard' }],
    });
    // installFinish comes last: after the binding and the configuration.
    const finishedAt = (await page.installFinishedAt()) ?? 0;
    expect(calls().every((c) => c.at <= finishedAt)).toBe(true);

    const steps = page.app.getByTestId('install-steps').locator('li');
    await expect
      .poll(() => steps.evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.state)))
      .toEqual(['done', 'done', 'kept', 'done']);
    await expect.poll(() => page.app.getByTestId('install-outcome').textContent()).toMatch(/^Installed\./);
    await page.screenshot('app-install-done');
  });

  it('a reinstall recovers from ERROR_PLACEMENT_MAX_COUNT, keeps the configuration, and the portal reopens it as the app', async () => {
    const { rest } = stack.simulator;
    rest.placements.push({
      placement: 'PAGE_BACKGROUND_WORKER',
      handler: stack.appUrl,
      title: 'Hold relay',
      description: '',
      options: {},
      userId: 0,
      langAll: {},
    });
    rest.appOptions.holdRelay = LOG_ONLY;
    const page = await open('?page=app&install=1&admin=1', 'install');
    await page.app.getByTestId('install-start').click();
    await expect.poll(() => page.installFinishes()).toBe(1);

    const finishedAt = (await page.installFinishedAt()) ?? 0;
    expect(
      calls()
        .filter((c) => c.at <= finishedAt)
        .map((c) => [c.method, c.error]),
    ).toEqual([
      ['placement.bind', 'ERROR_PLACEMENT_MAX_COUNT'],
      ['placement.unbind', null],
      ['placement.bind', null],
      ['placement.get', null],
      ['app.option.get', null],
    ]);
    expect(rest.placements.map((p) => [p.handler, p.userId, p.options])).toEqual([
      [stack.appUrl, 0, { errorHandlerUrl: `${stack.appUrl}placement-error` }],
    ]);
    expect(rest.appOptions.holdRelay).toBe(LOG_ONLY);
    // As Bitrix24 does after installFinish, the simulator reloads the page as the app.
    await page.ready('settings');
    await expect
      .poll(() => page.app.getByTestId('worker-status').textContent())
      .toContain('Registered for every user.');
  });

  it('binds the worker for chosen operators only, one binding per user', async () => {
    const page = await open('?page=app&install=1&admin=1&finish=stay', 'install');
    await page.app.getByTestId('scope-users').check();
    await page.app.getByTestId('scope-user-ids').fill('7, 12');
    await page.app.getByTestId('install-start').click();
    await expect.poll(() => page.installFinishes()).toBe(1);
    expect(calls('placement.bind').map((c) => c.params.USER_ID)).toEqual([7, 12]);
    expect(stack.simulator.rest.placements.map((p) => p.userId)).toEqual([7, 12]);
  });

  it('tells an admin why http://evil.example/hook is refused as a webhook URL, and saves nothing', async () => {
    stack.simulator.rest.appOptions.holdRelay = LOG_ONLY;
    const page = await open('?page=app&admin=1', 'settings');
    await page.app.getByTestId('add-type').selectOption('webhook');
    await page.app.getByTestId('add-output').click();
    await page.app.getByTestId('output-1-url').fill('http://evil.example/hook');
    await page.app.getByTestId('save').click();

    const url = page.app.getByTestId('output-1-url');
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
    const described = (await url.getAttribute('aria-describedby')) ?? '';
    expect(await page.app.locator(`[id="${described.split(' ').at(-1)}"]`).textContent()).toBe(URL_RULE);
    expect(await page.app.getByTestId('issue-summary').textContent()).toContain(
      `outputs[1] (webhook): field "url" ${URL_RULE}; this output is disabled`,
    );
    expect(await page.app.getByTestId('save-status').textContent()).toMatch(/^Not saved/);
    expect(calls('app.option.set')).toEqual([]);
    expect(stack.simulator.rest.appOptions.holdRelay).toBe(LOG_ONLY);
    await page.app.getByTestId('output-1').evaluate((card) => card.scrollIntoView({ block: 'start' }));
    await page.screenshot('app-invalid-field');
  });

  it('saves a valid configuration that the next worker frame uses, and test-sends through it to the receiver', async () => {
    const { sink, url: simUrl, rest } = stack.simulator;
    rest.appOptions.holdRelay = LOG_ONLY;
    rest.placements.push({
      placement: 'PAGE_BACKGROUND_WORKER',
      handler: stack.appUrl,
      title: 'Hold relay',
      description: '',
      options: { errorHandlerUrl: `${stack.appUrl}placement-error` },
      userId: 0,
      langAll: {},
    });
    const page = await open('?page=app&admin=1', 'settings');
    await expect
      .poll(() => page.worker.lines.filter((l) => l.startsWith('info: relaying hold changes to 1 output(s)')).length)
      .toBe(1);
    await page.app.getByTestId('add-type').selectOption('webhook');
    await page.app.getByTestId('add-output').click();
    await page.app.getByTestId('output-1-url').fill(`${simUrl}/sink`);
    await page.app.getByTestId('output-1-secret').fill(sink.secret ?? '');
    await page.app.getByTestId('add-type').selectOption('broadcast');
    await page.app.getByTestId('add-output').click();
    await page.app.getByTestId('save').click();
    await expect.poll(() => page.app.getByTestId('save-status').textContent()).toMatch(/^Saved\./);

    expect(calls('app.option.set')).toHaveLength(1);
    expect(JSON.parse(stack.simulator.rest.appOptions.holdRelay ?? 'null')).toEqual({
      outputs: [
        { type: 'log' },
        { type: 'webhook', url: `${simUrl}/sink`, secret: sink.secret },
        { type: 'broadcast' },
      ],
    });
    await page.reloadWorker();
    await expect
      .poll(() => page.worker.lines.some((l) => l.startsWith('info: relaying hold changes to 3 output(s)')))
      .toBe(true);

    await page.app.getByTestId('send-test').click();
    const rows = page.app.getByTestId('test-results').locator('tbody tr');
    await expect
      .poll(() =>
        rows.evaluateAll((trs) =>
          trs.map((tr) => `${(tr as HTMLElement).dataset.type}:${(tr as HTMLElement).dataset.outcome}`),
        ),
      )
      .toEqual(['log:sent', 'webhook:delivered', 'broadcast:sent']);
    const delivered = sink.attempts.filter((a) => a.status === 200);
    expect(delivered.map((a) => [a.type, a.verified, a.id?.startsWith('evt_test_')])).toEqual([
      ['hold.started', true, true],
    ]);
    // The page's own broadcast listener shows the test event among this browser's events.
    await expect.poll(() => page.app.getByTestId('recent-events').locator('tbody tr').count()).toBe(1);
    expect(page.worker.errors).toEqual([]);
    await expect
      .poll(() => page.app.getByTestId('worker-status').textContent())
      .toContain('Registered for every user.');
    await page.app.locator('#app').evaluate((root) => root.ownerDocument.defaultView?.scrollTo(0, 0));
    await page.screenshot('app-settings');
  });

  it('shows a non-admin the configuration read only, with no way to save it', async () => {
    stack.simulator.rest.appOptions.holdRelay = LOG_ONLY;
    const page = await open('?page=app', 'settings');
    expect(await page.app.getByTestId('role').textContent()).toBe('Read only');
    expect(await page.app.getByTestId('read-only').isVisible()).toBe(true);
    expect(await page.app.getByTestId('save').count()).toBe(0);
    expect(await page.app.getByTestId('send-test').count()).toBe(0);
    expect(await page.app.getByTestId('add-output').count()).toBe(0);
    expect(await page.app.getByTestId('output-0-enabled').isDisabled()).toBe(true);
    await page.app.getByTestId('view-json').click();
    expect(await page.app.getByTestId('option-json').getAttribute('readonly')).not.toBeNull();
    await expect.poll(() => page.app.getByTestId('worker-status').textContent()).toContain('Only administrators');
    expect(calls('app.option.set')).toEqual([]);
    expect(calls('placement.get')).toEqual([]);
  });
});
