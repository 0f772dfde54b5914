/**
 * SmoothQuant (Xiao et al. 2023, arXiv:2211.10438 eq. 4), following mit-han-lab smoothquant
 * smooth.py `smooth_ln_fcs`: s_j = max|X_j|^alpha / max|W_j|^(1 - alpha), with max|W_j| the largest
 * |w| of input channel j over every weight that reads the input, floored at 1e-5, and s floored at
 * 1e-5. Folding divides the preceding RMSNorm weight by s and multiplies the weight columns by s, so
 * X diag(s)^-1 (W diag(s))^T = X W^T and the FP function is unchanged (up to f32 rounding).
 */
import type { LinearWeight } from "./awq.ts";

/** 1e-5, the reference's floor for max|W_j| and for s (torch clamp(min=1e-5)), as f32 */
const FLOOR = Math.fround(1e-5);

/** Per input channel max |w| over every weight (float32 values, exact). */
export function weightColumnAbsmax(weights: LinearWeight[]): Float32Array {
  const cols = weights[0]?.cols ?? 0, m = new Float32Array(cols);
  for (const { w, rows, cols: c } of weights) {
    if (c !== cols || w.length !== rows * c) throw new RangeError("smoothquant: weights must share the input width");
    for (let i = 0; i < w.length; i++) m[i % cols] = Math.max(m[i % cols]!, Math.abs(w[i]!));
  }
  return m;
}

/** Smoothing scales s (f32, length cols) for activations' per-channel absmax and the weights reading them. */
export function smoothquantScales(actAbsmax: ArrayLike<number>, weights: LinearWeight[], alpha = 0.5): Float32Array {
  const wMax = weightColumnAbsmax(weights);
  if (actAbsmax.length !== wMax.length) throw new RangeError(`smoothquant: ${actAbsmax.length} activation channels, weights have ${wMax.length}`);
  const s = new Float32Array(wMax.length);
  for (let j = 0; j < s.length; j++) {
    // s_j = max|X_j|^alpha / max(max|W_j|, 1e-5)^(1 - alpha), floored at 1e-5
    const a = Math.fround(Math.fround(actAbsmax[j]!) ** alpha), b = Math.fround(Math.max(wMax[j]!, FLOOR) ** (1 - alpha));
    s[j] = Math.max(Math.fround(a / b), FLOOR);
  }
  return s;
}

/** Folds s in place: norm weight (and optional bias) divided by s, every weight's columns multiplied by s. */
export function applySmoothing(normWeight: Float32Array | null, weights: LinearWeight[], s: Float32Array, normBias?: Float32Array): void {
  // 1/s into the preceding norm
  for (const v of [normWeight, normBias]) if (v) for (let j = 0; j < v.length; j++) v[j] = Math.fround(v[j]! / s[j]!);
  // s into the weight columns
  for (const { w, cols } of weights) for (let i = 0; i < w.length; i++) w[i] = Math.fround(w[i]! * s[i % cols]!);
}
