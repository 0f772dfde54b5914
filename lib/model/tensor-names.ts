/**
 * The checkpoint names of a layer's tensors by family layout: Hugging Face Llama names (Llama,
 * Mistral, Qwen2/3, Phi-3's fused qkv_proj / gate_up_proj, Gemma 3's four norms, Mixtral's
 * block_sparse_moe experts) or OPT's decoder names. Without the `.weight` / `.bias` suffix.
 */
import type { LlamaConfig } from "./config.ts";

/** File names of one layer's tensors (without .weight / .bias), by family layout. */
export interface LayerNames {
  attnNorm: string; q: string; k: string; v: string; qkv: string; o: string; qNorm: string; kNorm: string;
  postAttnNorm: string; ffnNorm: string; postFfnNorm: string;
  gate: string; up: string; down: string; gateUp: string; router: string;
  expert(e: number, which: "gate" | "up" | "down"): string;
  /** GGUF (llama.cpp): every expert's matrix stacked in one 3-D tensor [experts, rows, cols] */
  stacked(which: "gate" | "up" | "down"): string;
}

/** Tensor names of layer l: Hugging Face Llama names (Qwen, Mistral, Phi-3, Gemma, Mixtral) or OPT's decoder names. */
export function layerNames(c: LlamaConfig, l: number): LayerNames {
  if (c.family.arch === "opt") {
    const p = `model.decoder.layers.${l}.`;
    return {
      attnNorm: `${p}self_attn_layer_norm`, q: `${p}self_attn.q_proj`, k: `${p}self_attn.k_proj`, v: `${p}self_attn.v_proj`, qkv: "", o: `${p}self_attn.out_proj`,
      qNorm: "", kNorm: "", postAttnNorm: "", ffnNorm: `${p}final_layer_norm`, postFfnNorm: "",
      gate: "", up: `${p}fc1`, down: `${p}fc2`, gateUp: "", router: "", expert: () => "", stacked: () => "",
    };
  }
  const p = `model.layers.${l}.`;
  const gemma = c.family.sandwichNorms;
  return {
    attnNorm: `${p}input_layernorm`, q: `${p}self_attn.q_proj`, k: `${p}self_attn.k_proj`, v: `${p}self_attn.v_proj`, qkv: `${p}self_attn.qkv_proj`,
    o: `${p}self_attn.o_proj`, qNorm: `${p}self_attn.q_norm`, kNorm: `${p}self_attn.k_norm`,
    postAttnNorm: gemma ? `${p}post_attention_layernorm` : "", ffnNorm: gemma ? `${p}pre_feedforward_layernorm` : `${p}post_attention_layernorm`,
    postFfnNorm: gemma ? `${p}post_feedforward_layernorm` : "",
    gate: `${p}mlp.gate_proj`, up: `${p}mlp.up_proj`, down: `${p}mlp.down_proj`, gateUp: `${p}mlp.gate_up_proj`,
    router: `${p}block_sparse_moe.gate`,
    expert: (e, which) => `${p}block_sparse_moe.experts.${e}.${{ gate: "w1", up: "w3", down: "w2" }[which]}`,
    stacked: (which) => `blk.${l}.ffn_${which}_exps`,
  };
}
