/**
 * Quantization error of a tensor (DESIGN.md definitions): relative MSE ||x - q(x)||^2 / ||x||^2 and
 * SQNR = 10 log10(||x||^2 / ||x - q(x)||^2) dB, accumulated in float64.
 * Edge cases: pairs whose x is not finite are skipped (statistics skip non-finite values);
 * ||x|| = 0 gives relMse = sqnrDb = null (undefined ratio, as kurtosis is null when sigma = 0);
 * an exact quantization gives relMse 0 and sqnrDb Infinity.
 */
import { checkBits, rangeParams, rangeSqError } from "./round.ts";
import { resolveGroupSize, type RtnOptions } from "./rtn.ts";

/** relMse and sqnrDb; both null when the signal is all zeros */
export interface QuantError {
  relMse: number | null;
  sqnrDb: number | null;
}

/** Error figures from the two float64 sums. */
export function errorFromSums(signal: number, noise: number): QuantError {
  if (signal === 0) return { relMse: null, sqnrDb: null };
  const relMse = noise / signal;
  return { relMse, sqnrDb: relMse === 0 ? Infinity : -10 * Math.log10(relMse) };
}

/** Error of xq against x (same length), in float64. */
export function quantError(x: ArrayLike<number>, xq: ArrayLike<number>): QuantError {
  if (x.length !== xq.length) throw new RangeError(`quantError: lengths ${x.length} and ${xq.length} differ`);
  let signal = 0, noise = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) continue;
    const d = v - xq[i]!;
    signal += v * v;
    noise += d * d;
  }
  return errorFromSums(signal, noise);
}

const params = new Float64Array(2); // scratch: [scale, zero]

/**
 * Error of RTN pseudo-quantization of w [rows, cols] under opts, group by group, without a copy of w
 * (same groups and arithmetic as pseudoQuantize). Cheap enough to run on every tensor of a model.
 */
export function matrixQuantError(w: ArrayLike<number>, rows: number, cols: number, opts: RtnOptions): QuantError {
  const { bits, groupSize = 128, sym = false } = opts;
  checkBits(bits);
  if (w.length !== rows * cols) throw new RangeError(`matrixQuantError: ${w.length} values for a ${rows} x ${cols} matrix`);
  const g = resolveGroupSize(cols, groupSize), n = rows * cols;
  // per tensor: one range over the whole matrix
  if (groupSize === 0) rangeParams(w, 0, n, bits, sym, params);
  let signal = 0, noise = 0;
  for (let start = 0; start < n; start += g) {
    if (groupSize !== 0) rangeParams(w, start, start + g, bits, sym, params);
    noise = rangeSqError(w, start, start + g, params[0]!, params[1]!, bits, noise);
    // squared signal of the finite elements
    for (let i = start; i < start + g; i++) {
      const v = w[i]!;
      if (v - v === 0) signal += v * v;
    }
  }
  return errorFromSums(signal, noise);
}
