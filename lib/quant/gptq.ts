/**
 * GPTQ (Frantar et al. 2023, arXiv:2210.17323, Algorithm 1), following IST-DASLab gptq.py
 * `fasterquant`: quantize columns one at a time and spread each column's error over the columns not
 * yet quantized through the upper Cholesky factor of H^-1, with lazy batch updates per block.
 * Weights are updated in float64; each quantization step uses round.ts's f32 arithmetic.
 * Choices where the reference is ambiguous or quirky (documented deviations):
 * - groups (0 < g < cols): params are computed when a group starts, from the current weights with
 *   every earlier column's update applied (the reference reads the block-stale W when g < blockSize;
 *   here a block ends early wherever a group would straddle it, so no update is pending);
 * - actOrder with groups always uses static groups (params from the original-order weights after
 *   dead-column zeroing), so the result stays a QuantizedMatrix in the original column order;
 * - one group per row (g = -1, or g not dividing cols) and per tensor (g = 0): params come from the
 *   weights before dead-column zeroing, as the reference's `quantizer.find_params(W)` does;
 * - group params use the project's RTN arithmetic (round.ts, Qllm-Eval's), not gptq's
 *   Quantizer.find_params (which widens [min, max] to include 0 and uses sym scale 2 absmax / (2^b - 1)),
 *   so GPTQ's codes, scales and zeros mean what every other QuantizedMatrix means.
 */
import { cholesky, choleskyInverse, choleskyUpper } from "./linalg.ts";
import { checkBits, dequantizeValue, quantizeValue, rangeParams } from "./round.ts";
import { quantizeRtn, resolveGroupSize, type RtnOptions } from "./rtn.ts";
import type { Bits, QuantizedMatrix } from "./types.ts";

/** GPTQ options: RTN's plus damping (fraction of mean diag H), lazy block size, activation order. */
export interface GptqOptions extends RtnOptions {
  dampPercent?: number;
  blockSize?: number;
  actOrder?: boolean;
  /** group params from the original weights before any update (forced on with actOrder and groups) */
  staticGroups?: boolean;
}

/** Result: codes, scales and zeros, and the dequantized weights in f32. */
export interface GptqResult {
  matrix: QuantizedMatrix;
  dequantized: Float32Array;
}

/** Quantizes w [rows, cols] with GPTQ given H [cols, cols] = sum of x x^T over calibration tokens (any scale). */
export function quantizeGptq(w: ArrayLike<number>, rows: number, cols: number, hIn: Float64Array, opts: GptqOptions): GptqResult {
  const { bits, groupSize = 128, sym = false, dampPercent = 0.01, blockSize = 128, actOrder = false } = opts;
  checkBits(bits);
  if (w.length !== rows * cols) throw new RangeError(`quantizeGptq: ${w.length} values for a ${rows} x ${cols} matrix`);
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`quantizeGptq: block size ${blockSize} must be a positive integer`);
  if (hIn.length !== cols * cols) throw new RangeError(`quantizeGptq: H has ${hIn.length} values, expected ${cols} x ${cols}`);
  const g = resolveGroupSize(cols, groupSize), grouped = groupSize > 0 && g < cols, nGroups = cols / g;
  const staticGroups = grouped && (actOrder || opts.staticGroups === true);
  const scales = new Float32Array(rows * nGroups), zeros = new Float32Array(rows * nGroups);
  // one group per row / per tensor: params from W before dead-column zeroing
  if (!grouped) {
    const q = quantizeRtn(w, rows, cols, { bits, groupSize, sym });
    scales.set(q.scales);
    zeros.set(q.zeros);
  }
  // dead inputs (H_ii = 0): H_ii = 1 and the weight column = 0
  const h = Float64Array.from(hIn), W = Float64Array.from(w);
  for (let i = 0; i < cols; i++) {
    if (h[i * cols + i] !== 0) continue;
    h[i * cols + i] = 1;
    for (let r = 0; r < rows; r++) W[r * cols + i] = 0;
  }
  const params = new Float64Array(2), group = new Float32Array(g);
  const setParams = (r: number, c0: number, gi: number) => {
    for (let k = 0; k < g; k++) group[k] = W[r * cols + c0 + k]!;
    rangeParams(group, 0, g, bits, sym, params);
    scales[r * nGroups + gi] = params[0]!;
    zeros[r * nGroups + gi] = params[1]!;
  };
  // static groups: params from the original-order weights
  if (staticGroups) for (let r = 0; r < rows; r++) for (let gi = 0; gi < nGroups; gi++) setParams(r, gi * g, gi);
  // activation order: columns by descending H_ii (stable), W and H permuted
  const perm = Array.from({ length: cols }, (_, i) => i);
  if (actOrder) {
    perm.sort((a, b) => h[b * cols + b]! - h[a * cols + a]! || a - b);
    const hp = new Float64Array(cols * cols), wp = new Float64Array(rows * cols);
    for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) hp[i * cols + j] = h[perm[i]! * cols + perm[j]!]!;
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) wp[r * cols + j] = W[r * cols + perm[j]!]!;
    h.set(hp);
    W.set(wp);
  }
  // damping: dampPercent of the mean diagonal
  let meanDiag = 0;
  for (let i = 0; i < cols; i++) meanDiag += h[i * cols + i]! / cols;
  for (let i = 0; i < cols; i++) h[i * cols + i] += dampPercent * meanDiag;
  // Hinv = upper Cholesky factor of H^-1
  const hinv = choleskyUpper(choleskyInverse(cholesky(h, cols), cols), cols);
  const codes = new Uint8Array(rows * cols), dequantized = new Float32Array(rows * cols);
  const err = new Float64Array(rows * blockSize);
  for (let i1 = 0; i1 < cols; ) {
    // block [i1, i2): ends early where a dynamic group would straddle its end
    let i2 = Math.min(i1 + blockSize, cols);
    if (grouped && !staticGroups) for (let s = Math.ceil((i1 + 1) / g) * g; s < i2; s += g) if (s + g > i2) { i2 = s; break; }
    for (let j = i1; j < i2; j++) {
      const d = hinv[j * cols + j]!, c = perm[j]!, gi = Math.floor(c / g);
      // dynamic group start: params from the current (updated) weights
      if (grouped && !staticGroups && j % g === 0) for (let r = 0; r < rows; r++) setParams(r, j, gi);
      for (let r = 0; r < rows; r++) {
        // quantize column j of row r
        const scale = scales[r * nGroups + gi]!, zero = zeros[r * nGroups + gi]!, v = W[r * cols + j]!;
        const code = quantizeValue(Math.fround(v), scale, zero, bits, sym), q = dequantizeValue(code, zero, scale);
        codes[r * cols + c] = code;
        dequantized[r * cols + c] = q;
        // error compensation inside the block: W[r, j+1:i2] -= (w - q) / d * Hinv[j, j+1:i2]
        const e = (v - q) / d;
        err[r * blockSize + j - i1] = e;
        for (let k = j + 1; k < i2; k++) W[r * cols + k] -= e * hinv[j * cols + k]!;
      }
    }
    // lazy batch update of the later columns: W[:, i2:] -= Err1 Hinv[i1:i2, i2:]
    for (let r = 0; r < rows; r++) {
      for (let j = i1; j < i2; j++) {
        const e = err[r * blockSize + j - i1]!;
        if (e === 0) continue;
        for (let k = i2; k < cols; k++) W[r * cols + k] -= e * hinv[j * cols + k]!;
      }
    }
    i1 = i2;
  }
  return { matrix: { bits: bits as Bits, sym, rows, cols, groupSize: g, codes, scales, zeros }, dequantized };
}
