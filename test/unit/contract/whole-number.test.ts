import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { wholeNumber } from '../../../src/contract/whole-number.ts';

const problem = (schema: ReturnType<typeof wholeNumber>, input: unknown) =>
  v.safeParse(schema, input).issues?.[0]?.message ?? null;

describe('the whole-number schema', () => {
  it('takes a whole number within its bounds, the bounds included', () => {
    expect([100, 3000, 30_000].map((n) => problem(wholeNumber(100, 30_000), n))).toEqual([null, null, null]);
  });

  it('says what is wrong in the words outputs and routes have always used', () => {
    const schema = wholeNumber(100, 30_000);
    expect(problem(schema, '3000')).toBe('must be a number');
    expect(problem(schema, 1500.5)).toBe('must be a whole number');
    expect(problem(schema, 99)).toBe('must be at least 100');
    expect(problem(schema, 30_001)).toBe('must be at most 30000');
  });

  it('has no upper bound when none is given, and words the lower one as asked', () => {
    const schema = wholeNumber(0, Infinity, 'must be 0 or more');
    expect(problem(schema, Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(problem(schema, -1)).toBe('must be 0 or more');
  });
});
