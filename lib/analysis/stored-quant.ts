/**
 * What an already-quantized file holds (a GGUF of Q4_K, Q8_0 ... weights): the ggml block types
 * with their tensors and bytes, and the label of the baseline every statistic and SQNR of such a
 * file is measured against ("dequantized Q4_K": the reader decodes the blocks to f32 first).
 */
import { BLOCKS, type DType } from "../tensor/dtypes.ts";
import type { ModelSummary } from "../formats/summary.ts";

/** One stored quantized type: how many tensors and bytes of the file it holds. */
export interface StoredQuant { dtype: string; tensors: number; params: number; bytes: number }

/** True for a ggml block-quantized type (a block holds more than one element). */
export function isBlockQuantized(dtype: string): boolean {
  return (BLOCKS[dtype as DType]?.elements ?? 1) > 1;
}

/** The quantized types of the file, most bytes first; empty for a float file. */
export function storedQuantTypes(model: Pick<ModelSummary, "byDtype">): StoredQuant[] {
  return model.byDtype.filter((d) => isBlockQuantized(d.dtype)).sort((a, b) => b.bytes - a.bytes)
    .map(({ dtype, tensors, params, bytes }) => ({ dtype, tensors, params, bytes }));
}

/** "dequantized Q4_K" (or "dequantized Q4_K, Q6_K") for an already-quantized file; null for a float one. */
export function baselineLabel(model: Pick<ModelSummary, "byDtype">): string | null {
  const q = storedQuantTypes(model);
  return q.length ? `dequantized ${q.map((d) => d.dtype).join(", ")}` : null;
}
