/** Counts of special values: NaN, ±Inf (skipped by every statistic) and exact zeros. */
export interface Counts {
  nan: number;
  inf: number;
  zero: number;
}

/** All-zero counts (identity of mergeCounts). */
export function emptyCounts(): Counts {
  return { nan: 0, inf: 0, zero: 0 };
}

/** Counts NaN, ±Inf and zeros (+0 and -0) of x, adding into `into`. */
export function counts(x: ArrayLike<number>, into: Counts = emptyCounts()): Counts {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v !== v) into.nan++;
    else if (v === Infinity || v === -Infinity) into.inf++;
    else if (v === 0) into.zero++;
  }
  return into;
}

/** Sum of two count sets, in place into `a`. */
export function mergeCounts(a: Counts, b: Readonly<Counts>): Counts {
  a.nan += b.nan;
  a.inf += b.inf;
  a.zero += b.zero;
  return a;
}
