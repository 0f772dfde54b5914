/** The plain-JS baseline: one scalar pass computing absmax, mean, std and kurtosis (float64 power sums). */
export function jsStats(x: Float32Array): { absmax: number; mean: number; std: number; kurtosis: number } {
  let absmax = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const a = Math.abs(v);
    if (a > absmax) absmax = a;
    const v2 = v * v;
    s1 += v; s2 += v2; s3 += v2 * v; s4 += v2 * v2;
  }
  const mean = s1 / n;
  const m2 = s2 / n - mean * mean;
  const m4 = s4 / n - 4 * mean * (s3 / n) + 6 * mean * mean * (s2 / n) - 3 * mean ** 4;
  return { absmax, mean, std: Math.sqrt(m2), kurtosis: m4 / (m2 * m2) };
}
