/**
 * Element types quantlens reads. Upstream names are kept: safetensors dtypes
 * ("F32", "BF16", ...) and ggml type names ("Q4_K", ...).
 */
export type FloatDType = "F64" | "F32" | "F16" | "BF16";
export type IntDType = "I8" | "U8" | "I16" | "I32" | "I64";
/** ggml block-quantized types (GGUF). */
export type GgmlQuantDType =
  | "Q4_0" | "Q4_1" | "Q5_0" | "Q5_1" | "Q8_0"
  | "Q2_K" | "Q3_K" | "Q4_K" | "Q5_K" | "Q6_K";
export type DType = FloatDType | IntDType | GgmlQuantDType;

/** Block geometry: `elements` values stored in `bytes` bytes (plain types: 1 element). */
export interface BlockLayout { elements: number; bytes: number }

/** ggml sizes: sizeof(block_q4_0) = 2 + 16, etc. (ggml-common.h). */
export const BLOCKS: Record<DType, BlockLayout> = {
  F64: { elements: 1, bytes: 8 },
  F32: { elements: 1, bytes: 4 },
  F16: { elements: 1, bytes: 2 },
  BF16: { elements: 1, bytes: 2 },
  I8: { elements: 1, bytes: 1 },
  U8: { elements: 1, bytes: 1 },
  I16: { elements: 1, bytes: 2 },
  I32: { elements: 1, bytes: 4 },
  I64: { elements: 1, bytes: 8 },
  Q4_0: { elements: 32, bytes: 2 + 16 },
  Q4_1: { elements: 32, bytes: 2 + 2 + 16 },
  Q5_0: { elements: 32, bytes: 2 + 4 + 16 },
  Q5_1: { elements: 32, bytes: 2 + 2 + 4 + 16 },
  Q8_0: { elements: 32, bytes: 2 + 32 },
  Q2_K: { elements: 256, bytes: 16 + 64 + 2 + 2 },
  Q3_K: { elements: 256, bytes: 32 + 64 + 12 + 2 },
  Q4_K: { elements: 256, bytes: 2 + 2 + 12 + 128 },
  Q5_K: { elements: 256, bytes: 2 + 2 + 12 + 32 + 128 },
  Q6_K: { elements: 256, bytes: 128 + 64 + 16 + 2 },
};

/** Bytes needed for `numel` elements of `dtype` (numel must be a multiple of the block size). */
export function byteLengthOf(dtype: DType, numel: number): number {
  const b = BLOCKS[dtype];
  return (numel / b.elements) * b.bytes;
}

/** Bits per weight, derived from the block table. */
export function bitsPerWeight(dtype: DType): number {
  const b = BLOCKS[dtype];
  return (b.bytes * 8) / b.elements;
}
