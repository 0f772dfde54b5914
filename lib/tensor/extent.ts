/**
 * Max and min of arrays of any length by a loop: spreading an array into Math.max passes every element
 * as an argument and overflows the stack past ~100k elements (300k tensors in a file).
 */

/** Largest value of `xs` (numbers compared with `>`; NaN ignored), or `empty` when there is none. */
export function maxOf(xs: Iterable<number>, empty = -Infinity): number {
  let m = empty;
  let any = false;
  for (const x of xs) if (!any || x > m) { if (!Number.isNaN(x)) { m = x; any = true; } }
  return m;
}

/** Smallest value of `xs` (NaN ignored), or `empty` when there is none. */
export function minOf(xs: Iterable<number>, empty = Infinity): number {
  let m = empty;
  let any = false;
  for (const x of xs) if (!any || x < m) { if (!Number.isNaN(x)) { m = x; any = true; } }
  return m;
}
