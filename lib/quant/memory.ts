/**
 * Memory of a quantized deployment: weights at b bits with per-group scale/zero overhead, and the
 * KV cache at a context length and batch. Conventions (stated, so the numbers can be checked by hand):
 * - quantized: every linear weight except lm_head (DESIGN.md); everything else (embeddings, norms,
 *   lm_head) stays at 16 bits.
 * - a group stores one fp16 scale, and (asymmetric) one fp16 zero point; `-g-1` = one group per row;
 *   a row whose length is not a multiple of the group size is one group (DESIGN.md).
 * - KV cache: K and V per layer, kv_head and token, head_dim values each; below 16 bits one fp16
 *   scale and one fp16 zero per (token, head) (Qllm-Eval's per-token-head KV quantization).
 */

import { isQuantizedLinear } from "./whatif.ts";

/** Bytes of a 16-bit scale or zero point. */
export const PARAM_BYTES_16 = 2;

export interface LinearShape { rows: number; cols: number }

/** Groups in a [rows, cols] weight at group size g (-1: one per row; a g that does not divide cols: one per row). */
export function groupCount({ rows, cols }: LinearShape, groupSize: number): number {
  const perRow = groupSize > 0 && cols % groupSize === 0 ? cols / groupSize : 1;
  return rows * perRow;
}

export interface WeightMemory {
  bits: number;
  /** quantized linear weights: params * bits / 8 */
  quantized: number;
  /** scales and zeros */
  overhead: number;
  /** everything left at 16 bits */
  unquantized: number;
  total: number;
  /** bits per parameter of the quantized part, overhead included */
  bitsPerWeight: number;
}

/**
 * Weight bytes at `bits` (16: no quantization, no overhead). `params` counts every parameter once
 * (shared storage such as a tied lm_head once); `linears` are the quantized weights.
 */
export function weightMemory(params: number, linears: LinearShape[], bits: number, groupSize: number, sym = false): WeightMemory {
  const linearParams = linears.reduce((s, l) => s + l.rows * l.cols, 0);
  const unquantized = (params - linearParams) * PARAM_BYTES_16;
  if (bits >= 16) {
    const quantized = linearParams * PARAM_BYTES_16;
    return { bits, quantized, overhead: 0, unquantized, total: quantized + unquantized, bitsPerWeight: 16 };
  }
  const quantized = (linearParams * bits) / 8;
  const groups = linears.reduce((s, l) => s + groupCount(l, groupSize), 0);
  const overhead = groups * PARAM_BYTES_16 * (sym ? 1 : 2);
  return {
    bits, quantized, overhead, unquantized, total: quantized + overhead + unquantized,
    bitsPerWeight: linearParams ? ((quantized + overhead) * 8) / linearParams : bits,
  };
}

export interface KvShape { layers: number; kvHeads: number; headDim: number }

export interface KvMemory { bits: number; values: number; overhead: number; total: number }

/** KV cache bytes: 2 * layers * kv_heads * head_dim * ctx * batch * bits/8, plus per (token, head) scale/zero below 16 bits. */
export function kvCacheMemory({ layers, kvHeads, headDim }: KvShape, ctx: number, batch: number, bits: number): KvMemory {
  const entries = 2 * layers * kvHeads * ctx * batch; // K and V vectors of head_dim values
  const values = (entries * headDim * bits) / 8;
  const overhead = bits >= 16 ? 0 : entries * 2 * PARAM_BYTES_16;
  return { bits, values, overhead, total: values + overhead };
}

/** KV shape from a model config (dim, nHeads, nKvHeads, nLayers; headDim when explicit, e.g. Qwen3), or null when a field is missing. */
export function kvShapeOf(config: Record<string, unknown>): KvShape | null {
  const n = (k: string) => (typeof config[k] === "number" && Number.isFinite(config[k]) ? (config[k] as number) : null);
  const dim = n("dim"), heads = n("nHeads"), layers = n("nLayers");
  const kvHeads = n("nKvHeads") ?? heads;
  if (!dim || !heads || !layers || !kvHeads) return null;
  return { layers, kvHeads, headDim: n("headDim") ?? dim / heads };
}

/** Shapes of the weights weight quantization touches (2-D q/k/v/o/gate/up/down; lm_head excluded), as [out, in]. */
export function quantizedLinears(tensors: Array<{ name: string; shape: number[] }>): LinearShape[] {
  return tensors
    .filter(isQuantizedLinear)
    .map((t) => ({ rows: t.shape[0]!, cols: t.shape[1]! }));
}
