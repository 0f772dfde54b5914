/**
 * Round-to-nearest quantization (Qllm-Eval / llm-awq pseudo_quantize_tensor) of weights per group
 * along the input dimension, of activations per token, and of the KV cache per token and head.
 * Arithmetic (f32, half to even, non-finite handling) is in round.ts.
 * Group sizes: g > 0 that divides cols -> groups of g; g = -1, or g not dividing cols (shorter rows
 * included) -> one group per row (DESIGN.md); g = 0 -> per tensor: one scale and zero for the whole
 * matrix, stored repeated on every row with groupSize = cols.
 */
import { checkBits, dequantizeValue, pseudoQuantizeRange, quantizeRange, rangeParams } from "./round.ts";
import type { QuantizedActivations } from "../kernels/types.ts";
import type { Bits, QuantizedMatrix } from "./types.ts";

/** Weight quantization options; groupSize defaults to 128, sym to false (asymmetric). */
export interface RtnOptions {
  bits: Bits | number;
  groupSize?: number;
  sym?: boolean;
}

const params = new Float64Array(2); // scratch: [scale, zero] of the current group

/** Group length used for rows of `cols` (0 = per tensor is reported as cols). */
export function resolveGroupSize(cols: number, groupSize = 128): number {
  if (!Number.isInteger(groupSize) || groupSize < -1) throw new RangeError(`quant: group size ${groupSize} must be -1, 0 or positive`);
  return groupSize > 0 && cols % groupSize === 0 ? groupSize : cols;
}

function check(w: ArrayLike<number>, rows: number, cols: number, bits: number): void {
  checkBits(bits);
  if (w.length !== rows * cols) throw new RangeError(`quant: ${w.length} values for a ${rows} x ${cols} matrix`);
}

/** Quantizes w [rows, cols] (row-major) per group; NaN is stored as the zero point (dequantizes to 0). */
export function quantizeRtn(w: ArrayLike<number>, rows: number, cols: number, opts: RtnOptions): QuantizedMatrix {
  const { bits, groupSize = 128, sym = false } = opts;
  check(w, rows, cols, bits);
  const g = resolveGroupSize(cols, groupSize), n = rows * cols;
  const codes = new Uint8Array(n), scales = new Float32Array(n / g), zeros = new Float32Array(n / g);
  // per tensor: one range over the whole matrix
  if (groupSize === 0) rangeParams(w, 0, n, bits, sym, params);
  for (let start = 0, gi = 0; start < n; start += g, gi++) {
    // group params (scale, zero), then the group's codes
    if (groupSize !== 0) rangeParams(w, start, start + g, bits, sym, params);
    scales[gi] = params[0]!;
    zeros[gi] = params[1]!;
    quantizeRange(w, start, start + g, params[0]!, params[1]!, bits, codes);
  }
  return { bits: bits as Bits, sym, rows, cols, groupSize: g, codes, scales, zeros };
}

/** Dequantizes a QuantizedMatrix: (code - zero) * scale in f32. */
export function dequantize(q: QuantizedMatrix, out: Float32Array = new Float32Array(q.rows * q.cols)): Float32Array {
  const { codes, scales, zeros, groupSize } = q;
  for (let i = 0; i < codes.length; i++) {
    const gi = (i / groupSize) | 0;
    out[i] = dequantizeValue(codes[i]!, zeros[gi]!, scales[gi]!);
  }
  return out;
}

/** Quantize-dequantize of w in one pass, allocation-free when `out` is given (out may be w itself). */
export function pseudoQuantize(w: ArrayLike<number>, rows: number, cols: number, opts: RtnOptions, out: Float32Array = new Float32Array(rows * cols)): Float32Array {
  const { bits, groupSize = 128, sym = false } = opts;
  check(w, rows, cols, bits);
  const g = resolveGroupSize(cols, groupSize), n = rows * cols;
  // per tensor: one range over the whole matrix
  if (groupSize === 0) rangeParams(w, 0, n, bits, sym, params);
  for (let start = 0; start < n; start += g) {
    // group params (scale, zero), then quantize-dequantize the group
    if (groupSize !== 0) rangeParams(w, start, start + g, bits, sym, params);
    pseudoQuantizeRange(w, start, start + g, params[0]!, params[1]!, bits, out);
  }
  return out;
}

/** Quantizes activations x [rows = tokens, cols] asymmetrically per token over the whole row; reuses `out`'s buffers when given. */
export function quantizeActivations(x: ArrayLike<number>, rows: number, cols: number, bits: Bits | number, out?: QuantizedActivations): QuantizedActivations {
  check(x, rows, cols, bits);
  const q: QuantizedActivations = out && out.codes.length >= rows * cols && out.scales.length >= rows && out.zeros.length >= rows
    ? Object.assign(out, { bits, rows, cols })
    : { bits: bits as Bits, rows, cols, codes: new Uint8Array(rows * cols), scales: new Float32Array(rows), zeros: new Float32Array(rows) };
  for (let r = 0; r < rows; r++) {
    // one token: params over the row, then its codes
    rangeParams(x, r * cols, (r + 1) * cols, bits, false, params);
    q.scales[r] = params[0]!;
    q.zeros[r] = params[1]!;
    quantizeRange(x, r * cols, (r + 1) * cols, params[0]!, params[1]!, bits, q.codes);
  }
  return q;
}

/** Quantize-dequantize of activations per token (asymmetric, whole row); out may be x. */
export function pseudoQuantizeActivations(x: ArrayLike<number>, rows: number, cols: number, bits: Bits | number, out?: Float32Array): Float32Array {
  return pseudoQuantize(x, rows, cols, { bits, groupSize: -1, sym: false }, out);
}

/**
 * Quantize-dequantize of a K or V cache slice x [nTokens, nHeads, headDim], asymmetric per token and
 * head over head_dim, or per group of groupSize when head_dim > groupSize and divisible by it.
 */
export function pseudoQuantizeKv(x: ArrayLike<number>, nTokens: number, nHeads: number, headDim: number, bits: Bits | number, groupSize = 128, out?: Float32Array): Float32Array {
  const g = groupSize > 0 && headDim > groupSize && headDim % groupSize === 0 ? groupSize : -1;
  return pseudoQuantize(x, nTokens * nHeads, headDim, { bits, groupSize: g, sym: false }, out);
}
