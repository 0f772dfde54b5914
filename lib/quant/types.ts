/**
 * Shared types of lib/quant (quantizers) and lib/model; the kernels' input types (PackedMatrix,
 * QuantizedActivations) live in lib/kernels/types.ts.
 *
 * Codes are unsigned for every scheme so one dequantization serves both:
 *   value = (code - zero) * scale          (f32 arithmetic: Math.fround at each step)
 * asymmetric: code in [0, 2^b - 1], zero = clamp(-round(min/scale), 0, 2^b - 1) (an integer)
 * symmetric:  code = q + 2^(b-1) with q in [-2^(b-1), 2^(b-1) - 1], zero = 2^(b-1)
 * Rounding is half to even everywhere (Qllm-Eval's torch.round; wasm f32.nearest).
 */

/** bits of a quantized weight, activation or KV entry */
export type Bits = 2 | 3 | 4 | 5 | 6 | 7 | 8;

/**
 * A weight matrix [rows = out, cols = in] quantized per group along the input dimension.
 * groupSize divides cols (a spec group that does not divide a row becomes one group per row);
 * groupSize === cols means one group per output row (per channel).
 */
export interface QuantizedMatrix {
  bits: Bits;
  sym: boolean;
  rows: number;
  cols: number;
  groupSize: number;
  /** rows * cols codes, row-major, one per byte */
  codes: Uint8Array;
  /** rows * (cols / groupSize) scales, row-major */
  scales: Float32Array;
  /** rows * (cols / groupSize) zero points in code units (integers stored as f32) */
  zeros: Float32Array;
}
