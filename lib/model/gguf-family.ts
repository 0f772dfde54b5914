/**
 * GGUF architectures the forward pass runs, from llama.cpp's own metadata (`{arch}.*` keys) and
 * RoPE pairing (llama_model_rope_type: LLM_ARCH_LLAMA is NORM, pairs of consecutive dims, as
 * convert_hf_to_gguf.py permutes Llama's q/k rows; QWEN2 and QWEN3 are NEOX, pairs offset by
 * n_rot/2, rows left in Hugging Face order). Qwen2 carries q/k/v biases (`blk.N.attn_q.bias`),
 * Qwen3 per-head q/k norms (`blk.N.attn_q_norm`) and an explicit head size (`attention.key_length`);
 * Mixtral is `llama` with `expert_count` / `expert_used_count`, a router and stacked experts; Phi-3
 * (NEOX) keeps its fused attn_qkv and ffn_up (= gate_up_proj), `rope.dimension_count` rotary dims and
 * `attention.sliding_window`; its long-context rope_factors_long/short (LongRoPE) are refused.
 */
import { FormatError } from "../formats/errors.ts";
import type { TensorSource } from "../formats/types.ts";

export const GGUF_ARCHITECTURES: Record<string, { ropeLayout: "adjacent" | "half"; qkNorm: boolean }> = {
  llama: { ropeLayout: "adjacent", qkNorm: false },
  qwen2: { ropeLayout: "half", qkNorm: false },
  qwen3: { ropeLayout: "half", qkNorm: true },
  phi3: { ropeLayout: "half", qkNorm: false },
};

export interface GgufArchitecture {
  arch: string; ropeLayout: "adjacent" | "half"; qkNorm: boolean; moe: { experts: number; topK: number } | null;
  headDim?: number; rotaryDim?: number; slidingWindow?: number;
}

/** The GGUF's architecture options and explicit head size; refuses other architectures and RoPE scaling by key. */
export function ggufArchitecture(source: TensorSource): GgufArchitecture {
  const meta = source.metadata;
  const arch = String(meta["general.architecture"] ?? "llama");
  const known = GGUF_ARCHITECTURES[arch];
  if (!known) throw new FormatError(source.name, "general.architecture", `"${arch}" is not a GGUF architecture quantlens can run (supported: ${Object.keys(GGUF_ARCHITECTURES).join(", ")})`);
  const experts = meta[`${arch}.expert_count`], used = meta[`${arch}.expert_used_count`];
  let moe: { experts: number; topK: number } | null = null;
  if (typeof experts === "number" && experts > 0) {
    // Mixtral in llama.cpp's form: router blk.N.ffn_gate_inp, experts stacked in blk.N.ffn_{gate,up,down}_exps
    if (arch !== "llama") throw new FormatError(source.name, `${arch}.expert_count`, `MoE is supported for the llama architecture (Mixtral) only`);
    if (!(typeof used === "number" && used >= 1 && used <= experts)) throw new FormatError(source.name, `${arch}.expert_used_count`, `${String(used)} is not a number of experts in [1, ${experts}]`);
    moe = { experts, topK: used };
  }
  const scaling = meta[`${arch}.rope.scaling.type`];
  if (scaling !== undefined && scaling !== "none") throw new FormatError(source.name, `${arch}.rope.scaling.type`, `"${String(scaling)}" RoPE scaling is not supported by quantlens' forward pass`);
  const key = meta[`${arch}.attention.key_length`], value = meta[`${arch}.attention.value_length`];
  if (key !== undefined && value !== undefined && key !== value) throw new FormatError(source.name, `${arch}.attention.value_length`, `${String(value)} differs from key_length ${String(key)}`);
  if (source.tensors.some((t) => t.name.startsWith("rope_factors_"))) throw new FormatError(source.name, "rope_factors_long.weight", "LongRoPE frequency factors are not supported by quantlens' forward pass");
  const rot = meta[`${arch}.rope.dimension_count`], win = meta[`${arch}.attention.sliding_window`];
  return {
    arch, ...known, moe, ...(typeof key === "number" ? { headDim: key } : {}),
    ...(typeof rot === "number" ? { rotaryDim: rot } : {}), ...(typeof win === "number" && win > 0 ? { slidingWindow: win } : {}),
  };
}
