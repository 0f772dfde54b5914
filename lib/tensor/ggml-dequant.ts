/** Dispatch for ggml block-quantized types: bytes of whole blocks -> float32 values. */
import { BLOCKS, type DType, type GgmlQuantDType } from "./dtypes.ts";
import { dequantizeQ4_0, dequantizeQ4_1, dequantizeQ5_0, dequantizeQ5_1, dequantizeQ8_0 } from "./dequant-legacy.ts";
import { dequantizeQ2_K, dequantizeQ3_K, dequantizeQ4_K, dequantizeQ5_K, dequantizeQ6_K } from "./dequant-k.ts";

const DEQUANT: Record<GgmlQuantDType, (x: Uint8Array, y: Float32Array) => void> = {
  Q4_0: dequantizeQ4_0, Q4_1: dequantizeQ4_1, Q5_0: dequantizeQ5_0, Q5_1: dequantizeQ5_1, Q8_0: dequantizeQ8_0,
  Q2_K: dequantizeQ2_K, Q3_K: dequantizeQ3_K, Q4_K: dequantizeQ4_K, Q5_K: dequantizeQ5_K, Q6_K: dequantizeQ6_K,
};

/** True for the ggml block types this module dequantizes. */
export function isGgmlQuant(dtype: DType): dtype is GgmlQuantDType {
  return dtype in DEQUANT;
}

/**
 * Dequantizes whole blocks of a ggml quantized type, bit-identical to ggml's
 * `dequantize_row_*`. `bytes.length` must be a multiple of the block size; `out`
 * (if given) must hold at least the block count x block elements.
 */
export function dequantize(dtype: DType, bytes: Uint8Array, out?: Float32Array): Float32Array {
  if (!isGgmlQuant(dtype)) throw new RangeError(`dequantize: ${dtype} is not a ggml block type`);
  const b = BLOCKS[dtype];
  if (bytes.length % b.bytes !== 0) {
    throw new RangeError(`dequantize: ${bytes.length} bytes is not a whole number of ${dtype} blocks (${b.bytes} bytes)`);
  }
  const n = (bytes.length / b.bytes) * b.elements;
  if (out && out.length < n) throw new RangeError(`dequantize: out holds ${out.length} values, need ${n}`);
  const y = out ? out.subarray(0, n) : new Float32Array(n);
  DEQUANT[dtype](bytes, y);
  return y;
}
