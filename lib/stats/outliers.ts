/**
 * Outlier fraction: share of finite values with |x - mean| > OUTLIER_SIGMAS * std (population
 * std), i.e. x outside [mean - 6 std, mean + 6 std] evaluated in float64. The wasm sweep compares
 * float32 x against the exact float32 thresholds from outlierBounds, which is the same test.
 */

/** Threshold in standard deviations. */
export const OUTLIER_SIGMAS = 6;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Next float32 toward -Infinity (v must be a float32 value, not NaN). */
function nextDown(v: number): number {
  if (v === -Infinity) return v;
  if (v === 0) return -(2 ** -149);
  f32[0] = v;
  u32[0]! += v > 0 ? -1 : 1;
  return f32[0]!;
}

/** Largest float32 <= v. */
function f32Floor(v: number): number {
  const f = Math.fround(v);
  return f > v ? nextDown(f) : f;
}

/** Exact f32 thresholds [lo, hi]: for f32 x, x < lo or x > hi iff x lies outside [mean - k std, mean + k std]. */
export function outlierBounds(mean: number, std: number, k = OUTLIER_SIGMAS): [number, number] {
  if (!(std > 0)) return [-Infinity, Infinity];
  const hi = f32Floor(mean + k * std);
  const lo = -f32Floor(-(mean - k * std));
  return [lo, hi];
}

/** Count of finite values of x outside [lo, hi] (plain-JS reference of the wasm sweep). */
export function countOutliers(x: ArrayLike<number>, lo: number, hi: number): number {
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isFinite(v) && (v < lo || v > hi)) c++;
  }
  return c;
}

/** outlier_fraction = outliers / count; null when count = 0. */
export function outlierFraction(outliers: number, count: number): number | null {
  return count === 0 ? null : outliers / count;
}
