import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchBrowser, type LaunchedBrowser, type StorageMode } from './browser.ts';
import { startStack, type Stack, type StackOptions } from './stack.ts';

export interface StackAndBrowser {
  readonly stack: Stack;
  readonly browser: LaunchedBrowser;
}

/**
 * One app server and simulator for the file's describe block, and a new browser profile per test:
 * in the allowed mode a frame's storage outlives its page, and one test's unfinished call must not
 * become the next test's. Call inside a describe.
 */
export function useStackAndBrowser(mode: StorageMode, options: StackOptions = {}): StackAndBrowser {
  let stack: Stack | undefined;
  let browser: LaunchedBrowser | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
  });
  beforeEach(async () => {
    browser = await launchBrowser(mode);
  });
  afterEach(async () => {
    await browser?.close();
  });
  afterAll(async () => {
    await stack?.close();
  });
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`no ${name} yet: use it inside a test`);
    return value;
  };
  return {
    get stack() {
      return ready(stack, 'stack');
    },
    get browser() {
      return ready(browser, 'browser');
    },
  };
}
