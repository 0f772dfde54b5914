/**
 * A model family as data: how it departs from Llama, read once from the config (lib/model/family-config.ts),
 * each option applied in lib/model/forward.ts by one small function (lib/model/ops.ts) that is not
 * called when the option is off. Sources: transformers' modeling_{llama,mistral,qwen2,qwen3,gemma3,
 * phi3,mixtral,opt}.py, as ../shared/models/arch-zoo/README.md summarises them.
 */
import type { RopeParams } from "./rope.ts";

export type NormKind = "rms" | "layernorm";
export type Activation = "silu" | "gelu_tanh" | "gelu" | "relu";

export interface Family {
  /** model_type (config.json) or general.architecture (GGUF) */
  arch: string;
  /** RMSNorm (Llama) or LayerNorm with bias (OPT) */
  norm: NormKind;
  /** Gemma: norm weights stored zero-centred, applied as (1 + w) (folded into the weight at load) */
  normPlusOne: boolean;
  /** Gemma: attention and MLP outputs are normed (post_attention / post_feedforward) before the residual add */
  sandwichNorms: boolean;
  /** RoPE per layer (Gemma 3: theta by layer kind), or null for learned absolute positions (OPT) */
  rope: RopeParams[] | null;
  /** OPT: position p reads row p + offset of the position embedding */
  positionOffset: number;
  /** per layer: keys visible to a query, itself included (0 = all: full attention) */
  window: number[];
  /** multiplier of q.k (head_dim^-0.5; Gemma: query_pre_attn_scalar^-0.5) */
  attnScale: number;
  /** Gemma 2: tanh soft-capping of attention scores and of the final logits (null = off) */
  attnSoftcap: number | null;
  finalSoftcap: number | null;
  /** Qwen3, Gemma 3: RMSNorm over head_dim of each query and key head, before RoPE */
  qkNorm: boolean;
  /** MLP: act(gate x) * up x (gated) or act(fc1 x) (OPT: fc1 -> relu -> fc2) */
  gated: boolean;
  act: Activation;
  /** sparse MoE MLP (Mixtral): router softmax over experts, top-k, renormalised */
  moe: { experts: number; topK: number } | null;
  /** Gemma: the input embedding is multiplied by this (sqrt(hidden_size), in float32); 1 otherwise */
  embedScale: number;
}

/** Llama: RMSNorm, rotate-half RoPE (theta from the config), SwiGLU, full causal attention. */
export function llamaFamily(arch: string, theta: number, headDim: number, nLayers: number): Family {
  const rope: RopeParams = { theta, rotaryDim: headDim, scaling: null };
  return {
    arch, norm: "rms", normPlusOne: false, sandwichNorms: false,
    rope: Array.from({ length: nLayers }, () => rope), positionOffset: 0,
    window: new Array<number>(nLayers).fill(0), attnScale: 1 / Math.sqrt(headDim),
    attnSoftcap: null, finalSoftcap: null, qkNorm: false,
    gated: true, act: "silu", moe: null, embedScale: 1,
  };
}
