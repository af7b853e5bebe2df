import { describe, expect, it } from 'vitest';
import { arrayLiteral, rowLiteral } from '../../../../src/server/db/row-literal.ts';

describe('rowLiteral and arrayLiteral', () => {
  it('leaves a missing field empty and quotes every other, so an empty text is not a missing one', () => {
    expect(rowLiteral(['a', '', null, 7, -1.5, true, false])).toBe('("a","",,"7","-1.5","t","f")');
  });

  it('escapes quotes and backslashes and keeps commas, brackets, braces and new lines as text', () => {
    expect(rowLiteral(['say "hi", \\ (x) {y}\n'])).toBe('("say \\"hi\\", \\\\ (x) {y}\n")');
  });

  it('writes a row inside a row, and rows inside an array, as quoted literals', () => {
    const inner = rowLiteral(['a"b', null]);
    expect(rowLiteral([inner])).toBe('("(\\"a\\\\\\"b\\",)")');
    expect(arrayLiteral([inner, null, 'x'])).toBe('{"(\\"a\\\\\\"b\\",)",NULL,"x"}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('refuses a number the database could not read back', () => {
    expect(() => rowLiteral([Number.NaN])).toThrow(RangeError);
    expect(() => arrayLiteral([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});
