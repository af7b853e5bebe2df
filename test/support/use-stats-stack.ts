// The stats stack as a file's (or a describe's) fixture, for test files run by Vitest.
import { afterAll, beforeAll } from 'vitest';
import type { StackOptions } from './stack.ts';
import { startStatsStack, type StatsStack } from './stats-stack.ts';

/**
 * One stack for the test file (or the describe it is called in): started before its tests, closed after
 * them. What it returns stands for the running stack, so it can be named at the top of the file.
 */
export function useStatsStack(env: Record<string, string> = {}, options: Omit<StackOptions, 'env'> = {}): StatsStack {
  let stack: StatsStack | undefined;
  beforeAll(async () => {
    stack = await startStatsStack(env, options);
  }, 120_000);
  afterAll(() => stack?.close());
  return new Proxy({} as StatsStack, {
    get(_target, key) {
      if (!stack) throw new Error('the stats stack is not running: use it inside a test');
      return Reflect.get(stack, key) as unknown;
    },
  });
}
