/** Synthetic calibration data for GPTQ / AWQ / SmoothQuant tests: inputs with planted outlier channels. */
import { mulberry32 } from "../../lib/tensor/prng.ts";

/** Standard normal sampler (Box-Muller) on a seeded mulberry32. */
export function normal(seed: number): () => number {
  const rand = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * X [nTokens, cols]: correlated normal inputs (a shared factor per token) whose `outliers` channels
 * are scaled by `outlierScale`, as LLM activations have a few large input channels.
 */
export function calibrationInputs(seed: number, nTokens: number, cols: number, outliers: number[], outlierScale = 20): Float32Array {
  const randn = normal(seed), x = new Float32Array(nTokens * cols);
  const mix = Float64Array.from({ length: cols }, () => randn());
  for (let t = 0; t < nTokens; t++) {
    const shared = randn();
    for (let j = 0; j < cols; j++) x[t * cols + j] = randn() + 0.7 * shared * mix[j]!;
    for (const j of outliers) x[t * cols + j] *= outlierScale;
  }
  return x;
}

/** W [rows, cols] with normal entries. */
export function randomWeights(seed: number, rows: number, cols: number, std = 1): Float32Array {
  const randn = normal(seed);
  return Float32Array.from({ length: rows * cols }, () => std * randn());
}

/** H = X^T X [cols, cols] in float64. */
export function gram(x: Float32Array, nTokens: number, cols: number): Float64Array {
  const h = new Float64Array(cols * cols);
  for (let t = 0; t < nTokens; t++) {
    for (let i = 0; i < cols; i++) {
      const xi = x[t * cols + i]!;
      for (let j = 0; j < cols; j++) h[i * cols + j] += xi * x[t * cols + j]!;
    }
  }
  return h;
}

/** ||X W^T - X Q^T||_F^2 = sum_r d_r^T H d_r with d = W - Q (float64). */
export function outputError(h: Float64Array, w: ArrayLike<number>, q: ArrayLike<number>, rows: number, cols: number): number {
  let total = 0;
  const d = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) d[j] = w[r * cols + j]! - q[r * cols + j]!;
    for (let i = 0; i < cols; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += h[i * cols + j]! * d[j]!;
      total += d[i]! * s;
    }
  }
  return total;
}
