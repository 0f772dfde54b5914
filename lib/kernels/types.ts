/**
 * Input types of the integer kernels (lib/kernels/gemm-kernel.ts), produced by lib/quant (packMatrix,
 * quantizeActivations) and used by lib/model. Codes are unsigned for every scheme:
 *   value = (code - zero) * scale          (f32 arithmetic)
 * Rounding conventions and the sym/asym code mapping: lib/quant/types.ts.
 */

/**
 * Packed storage for integer execution: bits 8 keeps one code per byte; bits 4 stores two codes
 * per byte, the even column in the low nibble ((codes[2j+1] << 4) | codes[2j]), rows padded to
 * whole bytes. Scales and zeros as in lib/quant's QuantizedMatrix: rows * (cols / groupSize) each,
 * row-major; zeros are integer zero points in code units. Kernels may re-lay this out in read order.
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
  /** code width: lib/quant's Bits (written out: lib/kernels imports no other lib folder) */
  bits: 2 | 3 | 4 | 5 | 6 | 7 | 8;
  rows: number;
  cols: number;
  codes: Uint8Array;
  scales: Float32Array;
  zeros: Float32Array;
}
