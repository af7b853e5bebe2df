import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, launchBrowser, type LaunchedBrowser, type StorageMode } from './browser.ts';
import { startStack, type Stack, type StackOptions } from './stack.ts';

/** Where one test opens its pages. */
export interface TestBrowser {
  readonly context: BrowserContext;
  /** The portal this test plays (the simulator's `?member=`); openPortal opens its pages as this portal. */
  readonly member: string;
}

/**
 * One browser for the file's describe block, and a clean start for every test in it. `denied`: a new
 * context per test. `allowed`: storage needs the file's persistent profile, which cannot make new
 * contexts, so each test plays a portal of its own: the worker keys all it stores (hold state, pending
 * events, outboxes, frame claims) by the portal's member id, and one test's unfinished call cannot
 * become the next test's. Every page a test opened is closed after it. Call inside a describe.
 */
export function useBrowser(mode: StorageMode): TestBrowser {
  const browser = fileBrowser(mode);
  beforeAll(browser.launch);
  beforeEach(browser.startTest);
  afterEach(browser.endTest);
  afterAll(browser.close);
  return browser.view;
}

function fileBrowser(mode: StorageMode) {
  let profile: LaunchedBrowser | undefined;
  let headless: Browser | undefined;
  let context: BrowserContext | undefined;
  let tests = 0;
  return {
    async launch(): Promise<void> {
      if (mode === 'allowed') profile = await launchBrowser(mode);
      else headless = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    },
    async startTest(): Promise<void> {
      tests += 1;
      context = profile?.context ?? (await headless?.newContext());
    },
    async endTest(): Promise<void> {
      if (!profile) return context?.close();
      await Promise.all(profile.context.pages().map((page) => page.close()));
      await profile.context.unrouteAll({ behavior: 'ignoreErrors' });
    },
    async close(): Promise<void> {
      await profile?.close();
      await headless?.close();
    },
    view: {
      get context() {
        if (!context) throw new Error('no browser context yet: use it inside a test');
        return context;
      },
      get member() {
        return `hold-relay-e2e-portal-${tests}`;
      },
    } satisfies TestBrowser,
  };
}

export interface StackAndBrowser {
  readonly stack: Stack;
  readonly browser: TestBrowser;
}

/** One app server and simulator for the file's describe block, and its browser (see useBrowser). Call inside a describe. */
export function useStackAndBrowser(mode: StorageMode, options: StackOptions = {}): StackAndBrowser {
  let stack: Stack | undefined;
  const browser = fileBrowser(mode);
  beforeAll(async () => {
    [stack] = await Promise.all([startStack(options), browser.launch()]);
  });
  beforeEach(browser.startTest);
  afterEach(browser.endTest);
  afterAll(async () => {
    await browser.close();
    await stack?.close();
  });
  return {
    get stack() {
      if (!stack) throw new Error('no stack yet: use it inside a test');
      return stack;
    },
    browser: browser.view,
  };
}
