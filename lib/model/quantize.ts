/**
 * A quantized copy of a Llama model for one spec (Qllm-Eval semantics, DESIGN.md): every linear
 * except lm_head gets its weights quantized (RTN, AWQ, GPTQ or SmoothQuant + RTN), activations
 * quantized per token at each linear's input (WA), and the KV cache quantized per token and head.
 * Backends: "integer" runs packed int8/int4 codes on kernels-wasm; "pseudo" dequantizes the
 * weights to float32 and pseudo-quantizes activations (the numerical definition the integer path
 * is checked against).
 */
import type { QuantSpec } from "../quant/spec.ts";
import { dequantize } from "../quant/rtn.ts";
import { packMatrix } from "../quant/pack.ts";
import type { PackedMatrix } from "../kernels/types.ts";
import type { QuantizedMatrix } from "../quant/types.ts";
import { ActQuantLinear } from "./act-linear.ts";
import type { Calibration } from "./calibrate.ts";
import type { LlamaConfig } from "./config.ts";
import type { LlamaModel } from "./forward.ts";
import type { KvQuant } from "./kv-cache.ts";
import type { Linear, LinearFactory } from "./linear.ts";
import { buildModel } from "./llama.ts";
import { prepareWeights } from "./methods.ts";
import type { LlamaWeights } from "./weights.ts";

/** Integer linear over packed weights; actBits null = float activations (weight-only). */
export type PackedLinearFactory = (name: string, packed: PackedMatrix, actBits: number | null) => Linear;

export interface QuantizeOptions {
  /** float32 matmuls (lm_head, unquantized linears, the pseudo backend) */
  f32: LinearFactory;
  /** lm_head and the MoE router (always float32; default `f32`): a session passes one that shares the FP32 model's */
  head?: LinearFactory;
  /** integer matmuls; without it the pseudo backend is used */
  packed?: PackedLinearFactory;
  /** activation statistics of the FP32 model, needed by AWQ, GPTQ and SmoothQuant */
  calibration?: Calibration;
}

export interface QuantizedModel {
  model: LlamaModel;
  kv: KvQuant | null;
  backend: "integer" | "pseudo" | "float";
  /** weights after method-specific transforms (scales folded), before rounding: for error reports */
  weights: LlamaWeights;
  /** per quantized linear: its codes, scales and zeros */
  matrices: Map<string, QuantizedMatrix>;
  /** where the method could not apply as asked (e.g. AWQ's o_proj scale under GQA), one line each */
  notes: string[];
}

/** The model of `spec` built from FP32 `weights`. */
export function quantizeModel(config: LlamaConfig, fp: LlamaWeights, spec: QuantSpec, opts: QuantizeOptions): QuantizedModel {
  const kv = spec.kv ? { bits: spec.kv.bits, groupSize: spec.kv.groupSize } : null;
  const act = spec.act?.bits ?? null;
  const { weights, matrices, notes } = prepareWeights(config, fp, spec, opts.calibration);
  const backend = !spec.weight && act === null ? "float" : opts.packed ? "integer" : "pseudo";
  const make: LinearFactory = (name, w, rows, cols) => {
    const q = matrices.get(name);
    if (backend === "integer" && q) return opts.packed!(name, packMatrix(q), act);
    const lin = opts.f32(name, q ? dequantize(q) : w, rows, cols);
    return act === null ? lin : new ActQuantLinear(lin, act);
  };
  return { model: buildModel(config, weights, make, opts.head ?? opts.f32), kv, backend, weights, matrices, notes };
}
