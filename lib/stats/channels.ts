/**
 * Per-channel absmax of a tensor viewed as [rows, cols] (rows = product of the leading dims,
 * cols = last dim; a linear weight [out, in] has cols = input channels), its downsampled
 * profile for heatmaps, exact top-k channels and the median channel (DESIGN.md definitions).
 */
import type { ChannelProfile } from "./types.ts";

/** Most buckets in a profile: enough for a heatmap row, small enough for the store. */
export const MAX_PROFILE_BUCKETS = 512;
/** Default number of top channels reported. */
export const DEFAULT_TOP_K = 16;

/** [rows, cols] view of a shape, or null for rank < 2 (no channel statistics). */
export function channelView(shape: readonly number[]): { rows: number; cols: number } | null {
  if (shape.length < 2) return null;
  const cols = shape[shape.length - 1]!;
  return { rows: shape.slice(0, -1).reduce((a, b) => a * b, 1), cols };
}

/** Max-accumulates |x| of finite values of a [rows, cols] chunk starting at row `row0` (plain-JS reference). */
export function channelAbsmax(x: ArrayLike<number>, cols: number, colAbs: Float32Array, rowAbs: Float32Array, row0 = 0): void {
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (!(a < Infinity)) continue;
    const c = i % cols, r = row0 + ((i - c) / cols);
    if (a > colAbs[c]!) colAbs[c] = a;
    if (a > rowAbs[r]!) rowAbs[r] = a;
  }
}

/** Element-wise max of two per-channel absmax arrays, in place into `a`. */
export function mergeChannelAbsmax(a: Float32Array, b: ArrayLike<number>): Float32Array {
  for (let i = 0; i < a.length; i++) if (b[i]! > a[i]!) a[i] = b[i]!;
  return a;
}

/** Exact top-k channels by absmax, descending (ties: lower index first), by insertion into a k-list. */
export function topChannels(abs: ArrayLike<number>, k = DEFAULT_TOP_K): Array<[number, number]> {
  const top: Array<[number, number]> = [];
  if (k <= 0) return top;
  for (let i = 0; i < abs.length; i++) {
    const v = abs[i]!;
    if (top.length === k && !(v > top[k - 1]![1])) continue;
    let j = Math.min(top.length, k - 1);
    while (j > 0 && top[j - 1]![1] < v) j--;
    top.splice(j, 0, [i, v]);
    if (top.length > k) top.pop();
  }
  return top;
}

/** Median of the values (mean of the two middle ones for an even count, as d3.median); 0 when empty. */
export function median(abs: ArrayLike<number>): number {
  const n = abs.length;
  if (n === 0) return 0;
  const s = Float64Array.from(abs).sort();
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Downsampled profile: max over buckets of ceil(n / MAX_PROFILE_BUCKETS) channels, top-k and median. */
export function channelProfile(abs: ArrayLike<number>, topK = DEFAULT_TOP_K, maxBuckets = MAX_PROFILE_BUCKETS): ChannelProfile {
  const n = abs.length;
  const bucketSize = Math.max(1, Math.ceil(n / maxBuckets));
  const buckets = new Array<number>(Math.ceil(n / bucketSize)).fill(0);
  for (let i = 0; i < n; i++) {
    const b = (i / bucketSize) | 0;
    if (abs[i]! > buckets[b]!) buckets[b] = abs[i]!;
  }
  return { channels: n, bucketSize, absmax: buckets, top: topChannels(abs, topK), median: median(abs) };
}
