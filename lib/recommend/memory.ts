/**
 * Memory footprint of the user's model under a spec: weights (lib/quant/memory.ts's
 * calculator) + KV cache at the context length, batch 1.
 * Without an opened model the shapes are estimated from the parameter count (see estimateShape).
 */
import { kvCacheMemory, weightMemory } from "../quant/memory.ts";
import { BYTES_PER_GB, DEFAULT_GROUP_SIZE } from "./constants.ts";
import type { SpecParts } from "./specs.ts";
import type { ModelShape } from "./types.ts";

/** Llama 2 7B/13B keep d_model = 128 x n_layers; a dense decoder has about 12 d^2 parameters per layer. */
const DIM_PER_LAYER = 128;
const PARAMS_PER_LAYER_PER_DIM2 = 12;

/**
 * A Llama-like dense shape for `params` when no file was opened: L = (P / (12 x 128^2))^(1/3)
 * layers, d = 128 L, full multi-head KV (no GQA); every parameter counted as a quantized linear.
 * For 7e9 it gives 33 layers of 4224 (LLaMA2-7B: 32 x 4096), a KV cache within 7% of LLaMA2-7B's.
 */
export function estimateShape(params: number): ModelShape {
  const layers = Math.max(1, Math.round(Math.cbrt(params / (PARAMS_PER_LAYER_PER_DIM2 * DIM_PER_LAYER ** 2))));
  const dim = DIM_PER_LAYER * layers;
  return { params, linears: [{ rows: Math.max(1, Math.round(params / dim)), cols: dim }], kv: { layers, kvHeads: dim / DIM_PER_LAYER, headDim: DIM_PER_LAYER } };
}

/** Bytes and GB of weights and KV cache under a spec. */
export interface Footprint { weights_gb: number; kv_gb: number; total_gb: number; estimated: boolean }

/** The footprint of `shape` under `parts` at `context` tokens (activations are transient and not counted). */
export function footprint(shape: ModelShape, parts: SpecParts | null, context: number, estimated: boolean): Footprint {
  const w = weightMemory(shape.params, shape.linears, parts?.w ?? 16, DEFAULT_GROUP_SIZE).total;
  const kv = shape.kv ? kvCacheMemory(shape.kv, context, 1, parts?.kv ?? 16).total : 0;
  const gb = (b: number) => Math.round((b / BYTES_PER_GB) * 1000) / 1000;
  return { weights_gb: gb(w), kv_gb: gb(kv), total_gb: gb(w + kv), estimated };
}
