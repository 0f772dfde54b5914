/**
 * Shared types of lib/quant (quantizers), lib/kernels (integer GEMV/GEMM) and lib/model.
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

/**
 * Packed storage for integer execution: bits 8 keeps one code per byte; bits 4 stores two codes
 * per byte, the even column in the low nibble ((codes[2j+1] << 4) | codes[2j]), rows padded to
 * whole bytes. Scales and zeros as in QuantizedMatrix. Kernels may re-lay this out in read order.
 */
export interface PackedMatrix {
  bits: 4 | 8;
  rows: number;
  cols: number;
  groupSize: number;
  /** bytes per row: cols (bits 8) or ceil(cols / 2) (bits 4) */
  rowBytes: number;
  data: Uint8Array;
  scales: Float32Array;
  zeros: Float32Array;
}

/**
 * Activations [rows = tokens, cols = channels] quantized asymmetrically per token over the whole
 * row (Qllm-Eval's WA semantics): codes in [0, 2^b - 1], one scale and zero per row.
 */
export interface QuantizedActivations {
  bits: Bits;
  rows: number;
  cols: number;
  codes: Uint8Array;
  scales: Float32Array;
  zeros: Float32Array;
}
