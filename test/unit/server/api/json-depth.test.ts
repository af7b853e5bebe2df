import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../../../src/server/http/json-depth.ts';

describe('JSON nesting depth, read from the raw text', () => {
  it('counts arrays and objects, and nothing inside strings', () => {
    expect(nestsDeeperThan('{"events":[{"data":{"a":[1]}}]}', 5)).toBe(false);
    expect(nestsDeeperThan('{"events":[{"data":{"a":[[1]]}}]}', 5)).toBe(true);
    expect(nestsDeeperThan(`{"s":"${'[{'.repeat(100)}"}`, 2)).toBe(false);
    expect(nestsDeeperThan(`{"s":"\\"${'['.repeat(100)}"}`, 2)).toBe(false);
  });

  it('finds 5,000 levels at once, and passes the deepest body the API takes', () => {
    expect(nestsDeeperThan(`${'['.repeat(5000)}${']'.repeat(5000)}`, MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`, MAX_JSON_DEPTH)).toBe(false);
  });
});
