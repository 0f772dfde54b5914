/** Extent of the finite values: min, max and absmax = max(|min|, |max|). */
export interface Extent {
  /** +Infinity when there is no finite value */
  min: number;
  /** -Infinity when there is no finite value */
  max: number;
}

/** An extent holding no value (identity of mergeExtent). */
export function emptyExtent(): Extent {
  return { min: Infinity, max: -Infinity };
}

/** Extent of the finite values of x (NaN and ±Inf skipped, as d3.extent skips NaN). */
export function extent(x: ArrayLike<number>, into: Extent = emptyExtent()): Extent {
  let { min, max } = into;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  into.min = min;
  into.max = max;
  return into;
}

/** Union of two extents, in place into `a`. */
export function mergeExtent(a: Extent, b: Readonly<Extent>): Extent {
  a.min = Math.min(a.min, b.min);
  a.max = Math.max(a.max, b.max);
  return a;
}

/** absmax = max |x_i| over finite values (DESIGN.md); null when there is none. */
export function absmax(e: Readonly<Extent>): number | null {
  return e.min > e.max ? null : Math.max(Math.abs(e.min), Math.abs(e.max));
}

/** min/max as reported numbers: null when empty, -0 normalised to 0. */
export function extentOrNull(e: Readonly<Extent>): { min: number | null; max: number | null } {
  return e.min > e.max ? { min: null, max: null } : { min: e.min + 0, max: e.max + 0 };
}
