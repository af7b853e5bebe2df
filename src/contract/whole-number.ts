// The one schema of a whole-number setting, for the worker's outputs and the server's routes alike:
// the same messages everywhere (tests and receivers' admins read them).
import * as v from 'valibot';

/**
 * A whole number from `min` to `max` (no upper bound when `max` is left out). `tooSmall` replaces the
 * message for a number below `min` where a setting words it its own way ("must be 0 or more").
 */
export function wholeNumber(min: number, max = Infinity, tooSmall = `must be at least ${min}`) {
  return v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, tooSmall),
    v.maxValue(max, `must be at most ${max}`),
  );
}
