/**
 * Tensor names: every reader reports Hugging Face Llama names (DESIGN.md "Tensor names").
 * GGUF names follow llama.cpp's gguf-py `constants.py` (MODEL_TENSOR names for LLAMA).
 */

/**
 * What a tensor is inside a block, or `other` for anything else. Families: Phi-3's fused `qkv` and
 * `gate_up`, OPT's `fc1` / `fc2` (out_proj is `o`) and learned `pos_embed`, Qwen3 / Gemma 3's
 * `q_norm` / `k_norm`, the MoE `router`; MoE experts' w1 / w3 / w2 (and GGUF's stacked
 * ffn_*_exps) are grouped with `gate` / `up` / `down`.
 */
export type ModuleKind = "embed" | "pos_embed" | "q" | "k" | "v" | "qkv" | "o" | "q_norm" | "k_norm" | "router" | "gate" | "up" | "gate_up" | "down" | "fc1" | "fc2" | "norm" | "lm_head" | "other";

/** The kinds that are linear layers weight quantization touches (lm_head and the router stay float). */
export const QUANTIZED_KINDS = ["q", "k", "v", "qkv", "o", "gate", "up", "gate_up", "down", "fc1", "fc2"] as const;

/** llama.cpp block tensor → Hugging Face module path inside `model.layers.{i}`. */
const GGUF_BLOCK: Record<string, string> = {
  attn_q: "self_attn.q_proj",
  attn_k: "self_attn.k_proj",
  attn_v: "self_attn.v_proj",
  attn_output: "self_attn.o_proj",
  ffn_gate: "mlp.gate_proj",
  ffn_up: "mlp.up_proj",
  ffn_down: "mlp.down_proj",
  attn_q_norm: "self_attn.q_norm", // Qwen3
  attn_k_norm: "self_attn.k_norm",
  ffn_gate_inp: "block_sparse_moe.gate", // the MoE router (Mixtral); experts stay stacked as blk.N.ffn_*_exps
  attn_norm: "input_layernorm",
  ffn_norm: "post_attention_layernorm",
};

/** llama.cpp top-level tensors → Hugging Face names (without the .weight/.bias suffix). */
const GGUF_TOP: Record<string, string> = {
  token_embd: "model.embed_tokens",
  output_norm: "model.norm",
  output: "lm_head",
};

const GGUF_BLOCK_RE = /^blk\.(\d+)\.([a-z_]+)\.(weight|bias)$/;
const GGUF_TOP_RE = /^([a-z_]+)\.(weight|bias)$/;

/** Maps a llama.cpp GGUF tensor name to its Hugging Face Llama name; unknown names are returned unchanged. */
export function ggufToHf(name: string): string {
  const b = GGUF_BLOCK_RE.exec(name);
  if (b) {
    const mod = GGUF_BLOCK[b[2]!];
    return mod ? `model.layers.${Number(b[1])}.${mod}.${b[3]}` : name;
  }
  const t = GGUF_TOP_RE.exec(name);
  if (t) {
    const top = GGUF_TOP[t[1]!];
    return top ? `${top}.${t[2]}` : name;
  }
  return name;
}

const LAYER_RE = /(?:^|\.)(?:layers|h|blk|blocks)\.(\d+)\./;

/** Index of the transformer block a tensor belongs to (`model.layers.3.…` → 3), or null. */
export function layerOf(name: string): number | null {
  const m = LAYER_RE.exec(name);
  return m ? Number(m[1]) : null;
}

/** Module patterns on Hugging Face names, tried in order (GGUF names are mapped first). */
const MODULE_RULES: [RegExp, ModuleKind][] = [
  [/(?:^|\.)embed_tokens\./, "embed"],
  [/(?:^|\.)embed_positions\./, "pos_embed"],
  [/(?:^|\.)lm_head\./, "lm_head"],
  [/\.q_proj\./, "q"],
  [/\.k_proj\./, "k"],
  [/\.v_proj\./, "v"],
  [/\.qkv_proj\.|\.attn_qkv\./, "qkv"],
  [/\.(?:o|out)_proj\./, "o"],
  [/\.q_norm\.|\.attn_q_norm\./, "q_norm"],
  [/\.k_norm\.|\.attn_k_norm\./, "k_norm"],
  [/\.block_sparse_moe\.gate\.|\.mlp\.gate\.weight$|\.ffn_gate_inp\./, "router"],
  [/\.gate_up_proj\./, "gate_up"],
  [/\.gate_proj\.|\.experts\.\d+\.w1\.|\.ffn_gate_exps\./, "gate"],
  [/\.up_proj\.|\.experts\.\d+\.w3\.|\.ffn_up_exps\./, "up"],
  [/\.down_proj\.|\.experts\.\d+\.w2\.|\.ffn_down_exps\./, "down"],
  [/\.fc1\./, "fc1"],
  [/\.fc2\./, "fc2"],
  [/(?:layernorm|layer_norm|(?:^|\.)norm)\.(?:weight|bias)$/, "norm"],
];

/** What kind of module a tensor is (Hugging Face or GGUF name), or `other`. */
export function moduleOf(name: string): ModuleKind {
  const hf = ggufToHf(name);
  for (const [re, kind] of MODULE_RULES) if (re.test(hf)) return kind;
  return "other";
}
