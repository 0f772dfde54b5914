/**
 * AWQ scale search (Lin et al. 2024, arXiv:2306.00978 eq. 4-5), following llm-awq
 * awq/quantize/auto_scale.py `_search_module_scale`: for alpha = i / grid (i = 0..grid-1),
 * s = clamp(mean_t |x_tj|^alpha, 1e-4), normalised by sqrt(max(s) min(s)); every weight sharing the
 * input is quantized as Q(W diag(s)) diag(s)^-1; the alpha with the smallest mean squared output error
 * over tokens and output rows wins (strictly smaller, so ties keep the smaller alpha; alpha 0 is RTN).
 * The caller folds the result: divide the previous op's output channels by s, multiply W columns by s
 * (applySmoothing in smoothquant.ts does both), then quantize W.
 */
import { applyClip, searchAwqClip } from "./awq-clip.ts";
import { pseudoQuantize, type RtnOptions } from "./rtn.ts";

/** A linear weight [rows = out, cols = in], row-major. */
export interface LinearWeight {
  w: Float32Array;
  rows: number;
  cols: number;
}

/** AWQ search options: RTN's plus the alpha grid size and the optional clip search (llm-awq auto_clip). */
export interface AwqOptions extends RtnOptions {
  grid?: number;
  clip?: boolean;
}

/** Best scales and their error; errors are mean squared output errors (alpha 0 = RTN). */
export interface AwqResult {
  scales: Float32Array;
  alpha: number;
  error: number;
  errorRtn: number;
  /** with clip: per weight, the clip max per (row, group) of the scaled weight W diag(s) */
  clip?: Float32Array[];
}

/** Mean |x_j| over tokens of x [nTokens, cols] (llm-awq get_act_scale), float64. */
export function actMeanAbs(x: ArrayLike<number>, cols: number): Float64Array {
  const n = x.length / cols, m = new Float64Array(cols);
  for (let t = 0; t < n; t++) for (let j = 0; j < cols; j++) m[j] += Math.abs(x[t * cols + j]!) / n;
  return m;
}

/** AWQ scales for one alpha: max(m_j^alpha, 1e-4) / sqrt(max(s) min(s)), in f32. */
export function awqScalesFor(meanAbs: ArrayLike<number>, alpha: number): Float32Array {
  const s = Float32Array.from(meanAbs, (m) => Math.max(Math.fround(Math.fround(m) ** alpha), Math.fround(1e-4)));
  let max = -Infinity, min = Infinity;
  for (const v of s) { max = Math.max(max, v); min = Math.min(min, v); }
  const norm = Math.fround(Math.sqrt(Math.fround(max * min)));
  for (let j = 0; j < s.length; j++) s[j] = Math.fround(s[j]! / norm);
  return s;
}

/** Q(W diag(s)) diag(s)^-1 in f32, optionally clipping W diag(s) to ±clip per (row, group) first. */
export function awqPseudoQuantize(l: LinearWeight, s: Float32Array, opts: RtnOptions, clip?: Float32Array, out: Float32Array = new Float32Array(l.rows * l.cols)): Float32Array {
  const { w, rows, cols } = l;
  // scale the input channels: W diag(s)
  for (let i = 0; i < rows * cols; i++) out[i] = Math.fround(w[i]! * s[i % cols]!);
  if (clip) applyClip(out, rows, cols, opts.groupSize, clip);
  // quantize, then undo the scaling
  pseudoQuantize(out, rows, cols, opts, out);
  for (let i = 0; i < rows * cols; i++) out[i] = Math.fround(out[i]! / s[i % cols]!);
  return out;
}

/** Sum over tokens and rows of (x_t . (w_r - q_r))^2, through X^T X when tokens outnumber columns. */
export function outputSqError(x: Float32Array, cols: number, w: ArrayLike<number>, q: ArrayLike<number>, rows: number, gram?: Float64Array): number {
  const n = x.length / cols, d = new Float64Array(cols);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) d[j] = w[r * cols + j]! - q[r * cols + j]!;
    // d^T G d, or sum_t (x_t . d)^2
    for (let i = 0; i < (gram ? cols : n); i++) {
      let dot = 0;
      if (gram) { for (let j = 0; j < cols; j++) dot += gram[i * cols + j]! * d[j]!; total += d[i]! * dot; }
      else { for (let j = 0; j < cols; j++) dot += x[i * cols + j]! * d[j]!; total += dot * dot; }
    }
  }
  return total;
}

/** X^T X [cols, cols] of x [nTokens, cols] in float64. */
function gramMatrix(x: Float32Array, cols: number): Float64Array {
  const n = x.length / cols, g = new Float64Array(cols * cols);
  for (let t = 0; t < n; t++) for (let i = 0; i < cols; i++) {
    const xi = x[t * cols + i]!;
    if (xi !== 0) for (let j = 0; j < cols; j++) g[i * cols + j] += xi * x[t * cols + j]!;
  }
  return g;
}

/** Searches the AWQ alpha for weights sharing the input x [nTokens, cols]; see the file comment. */
export function searchAwqScales(weights: LinearWeight[], x: Float32Array, opts: AwqOptions): AwqResult {
  const { grid = 20, clip = false } = opts;
  const cols = weights[0]?.cols ?? 0, n = x.length / cols;
  if (!weights.length || weights.some((l) => l.cols !== cols || l.w.length !== l.rows * cols)) throw new RangeError("searchAwqScales: weights must share the input width");
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`searchAwqScales: x has ${x.length} values, not tokens x ${cols}`);
  const gram = n > cols ? gramMatrix(x, cols) : undefined, meanAbs = actMeanAbs(x, cols);
  const outputs = weights.reduce((a, l) => a + l.rows, 0) * n;
  // mean squared output error of all weights for scales s (and optional clips)
  const loss = (s: Float32Array, clips?: Float32Array[]) =>
    weights.reduce((a, l, k) => a + outputSqError(x, cols, l.w, awqPseudoQuantize(l, s, opts, clips?.[k]), l.rows, gram), 0) / outputs;
  let best: { alpha: number; error: number; scales: Float32Array } = { alpha: -1, error: Infinity, scales: new Float32Array(cols) };
  let errorRtn = NaN;
  // grid over alpha in [0, 1)
  for (let i = 0; i < grid; i++) {
    const alpha = i / grid, s = awqScalesFor(meanAbs, alpha), error = loss(s);
    if (i === 0) errorRtn = error;
    if (error < best.error) best = { alpha, error, scales: s };
  }
  if (best.alpha < 0) throw new RangeError(`searchAwqScales: no finite loss over ${grid} grid points`);
  if (!clip) return { ...best, errorRtn };
  // clip search on the scaled weights, whose input is x diag(s)^-1
  const xs = Float32Array.from(x, (v, i) => Math.fround(v / best.scales[i % cols]!));
  const clips = weights.map((l) => searchAwqClip(Float32Array.from(l.w, (v, i) => Math.fround(v * best.scales[i % cols]!)), l.rows, cols, xs, opts));
  return { ...best, error: loss(best.scales, clips), errorRtn, clip: clips };
}
