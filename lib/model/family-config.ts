/**
 * A Family from a Hugging Face config.json, in both forms on the Hub: transformers 4 (top-level
 * rope_theta / rope_scaling / partial_rotary_factor; Gemma 3: rope_local_base_freq) and transformers
 * 5 (rope_parameters, per layer kind for Gemma 3). Every key is either read, known harmless at
 * inference (HARMLESS_KEYS), or refused by name: a field that changes the numbers is never ignored.
 */
import { FormatError } from "../formats/errors.ts";
import type { Activation, Family } from "./family.ts";
import type { RopeParams, RopeScaling } from "./rope.ts";

type Json = Record<string, unknown>;

/** model_type values the forward pass implements. */
export const HF_ARCHITECTURES = ["llama", "mistral", "mixtral", "qwen2", "qwen3", "gemma3_text", "phi3", "opt"] as const;

/** Keys that do not change inference numbers (training-only, ids, bookkeeping). */
export const HARMLESS_KEYS = new Set([
  "architectures", "model_type", "transformers_version", "dtype", "torch_dtype", "use_cache", "initializer_range", "init_std",
  "attention_dropout", "dropout", "embd_pdrop", "resid_pdrop", "layerdrop", "bos_token_id", "eos_token_id", "pad_token_id",
  "output_router_logits", "router_aux_loss_coef", "router_jitter_noise", "pretraining_tp", "_name_or_path", "max_window_layers",
  "tie_word_embeddings", "vocab_size", "output_attentions", "output_hidden_states", "return_dict", "is_decoder",
  "prefix", "_attn_implementation_autoset", "use_return_dict", "chunk_size_feed_forward", "num_experts", "original_max_position_embeddings",
]);

/** Keys the reader interprets (each below, with the values it accepts). */
export const READ_KEYS = new Set([
  "hidden_size", "intermediate_size", "ffn_dim", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim",
  "max_position_embeddings", "rms_norm_eps", "layer_norm_eps", "rope_theta", "rope_scaling", "rope_parameters", "rope_local_base_freq",
  "partial_rotary_factor", "hidden_act", "hidden_activation", "activation_function", "attention_bias", "mlp_bias", "enable_bias",
  "sliding_window", "use_sliding_window", "layer_types", "sliding_window_pattern", "_sliding_window_pattern", "query_pre_attn_scalar",
  "attn_logit_softcapping", "final_logit_softcapping", "num_local_experts", "num_experts_per_tok", "do_layer_norm_before",
  "_remove_final_layer_norm", "layer_norm_elementwise_affine", "word_embed_proj_dim", "use_bidirectional_attention",
]);

/** Keys known to change the numbers that the forward pass does not implement: refused when set. */
export const REFUSED_KEYS = [
  "quantization_config", "alibi", "parallel_attn", "use_parallel_residual", "attention_chunk_size", "no_rope_layers", "use_qk_norm",
  "shared_expert_intermediate_size", "norm_topk_prob", "decoder_sparse_step", "mlp_only_layers", "moe_layer_freq",
  "logits_scaling", "embedding_multiplier", "residual_multiplier", "attention_multiplier", "rotary_pct", "qk_layernorm",
];

const ACTIVATIONS: Record<string, Activation> = { silu: "silu", swish: "silu", gelu_pytorch_tanh: "gelu_tanh", gelu_new: "gelu_tanh", relu: "relu" };

/** The Family of config `c` (model_type `arch`) with `nLayers` layers and head size `headDim`. */
export function hfFamily(file: string, c: Json, arch: string, nLayers: number, headDim: number): Family {
  const bad = (field: string, detail: string): never => { throw new FormatError(file, `config.json ${field}`, detail); };
  const isGemma = arch === "gemma3_text", isOpt = arch === "opt";
  expect(c, "use_bidirectional_attention", false, bad);
  for (const k of REFUSED_KEYS) if (c[k] !== undefined && c[k] !== null) bad(k, "changes the forward pass and is not supported by quantlens");
  if (isOpt) {
    expect(c, "do_layer_norm_before", true, bad);
    expect(c, "_remove_final_layer_norm", false, bad);
    expect(c, "layer_norm_elementwise_affine", true, bad);
    if (c.word_embed_proj_dim !== undefined && c.word_embed_proj_dim !== c.hidden_size) bad("word_embed_proj_dim", `${String(c.word_embed_proj_dim)} differs from hidden_size (project_in/out) and is not supported`);
  }
  const actName = String(c.hidden_activation ?? c.hidden_act ?? c.activation_function ?? "silu");
  const act = ACTIVATIONS[actName] ?? bad(c.hidden_activation ? "hidden_activation" : c.hidden_act ? "hidden_act" : "activation_function", `"${actName}" is not supported (supported: ${Object.keys(ACTIVATIONS).join(", ")})`);
  const kinds = layerKinds(c, arch, nLayers, bad);
  const window = kinds.map((k) => (k === "sliding_attention" ? slidingWindow(c, bad) : 0));
  const experts = num(c.num_local_experts);
  return {
    arch, norm: isOpt ? "layernorm" : "rms", normPlusOne: isGemma, sandwichNorms: isGemma,
    rope: isOpt ? null : kinds.map((k) => ropeOf(c, isGemma ? k : null, headDim, bad)),
    positionOffset: isOpt ? 2 : 0,
    window,
    attnScale: isGemma && c.query_pre_attn_scalar != null ? 1 / Math.sqrt(positive(c.query_pre_attn_scalar, "query_pre_attn_scalar", bad)) : 1 / Math.sqrt(headDim),
    attnSoftcap: c.attn_logit_softcapping == null ? null : positive(c.attn_logit_softcapping, "attn_logit_softcapping", bad),
    finalSoftcap: c.final_logit_softcapping == null ? null : positive(c.final_logit_softcapping, "final_logit_softcapping", bad),
    qkNorm: arch === "qwen3" || isGemma,
    gated: !isOpt, act,
    moe: experts ? { experts, topK: positive(c.num_experts_per_tok ?? 2, "num_experts_per_tok", bad) } : null,
    embedScale: isGemma ? Math.fround(Math.sqrt(Number(c.hidden_size))) : 1,
  };
}

/** A boolean key that must hold `want` (or be absent) for the forward pass to be right. */
function expect(c: Json, key: string, want: boolean, bad: (f: string, d: string) => never): void {
  if (c[key] !== undefined && c[key] !== null && c[key] !== want) bad(key, `${String(c[key])} is not supported (only ${want})`);
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function positive(v: unknown, field: string, bad: (f: string, d: string) => never): number {
  const n = num(v);
  return n !== undefined && n > 0 ? n : bad(field, `${String(v)} is not a positive number`);
}

/** "full_attention" / "sliding_attention" per layer: layer_types, else the family's rule (Gemma 3's pattern, Mistral's window on every layer). */
function layerKinds(c: Json, arch: string, n: number, bad: (f: string, d: string) => never): string[] {
  const types = c.layer_types;
  if (Array.isArray(types)) {
    if (types.length !== n || !types.every((t) => t === "full_attention" || t === "sliding_attention")) bad("layer_types", `expected ${n} entries of "full_attention" / "sliding_attention"`);
    if (arch.startsWith("qwen") && c.use_sliding_window !== true) return new Array<string>(n).fill("full_attention"); // Qwen: windows only with use_sliding_window
    return types as string[];
  }
  const pattern = num(c.sliding_window_pattern ?? c._sliding_window_pattern);
  if (arch === "gemma3_text") return Array.from({ length: n }, (_, i) => ((i + 1) % (pattern ?? 6) === 0 ? "full_attention" : "sliding_attention"));
  if (arch.startsWith("qwen")) {
    const from = num(c.max_window_layers) ?? n;
    return Array.from({ length: n }, (_, i) => (c.use_sliding_window === true && i >= from ? "sliding_attention" : "full_attention"));
  }
  const windowed = ["mistral", "mixtral", "phi3"].includes(arch) && c.sliding_window != null;
  return new Array<string>(n).fill(windowed ? "sliding_attention" : "full_attention");
}

function slidingWindow(c: Json, bad: (f: string, d: string) => never): number {
  const w = num(c.sliding_window);
  return w !== undefined && Number.isSafeInteger(w) && w >= 1 ? w : bad("sliding_window", `${String(c.sliding_window)} is not a window length`);
}

/**
 * RoPE of a layer: transformers 5's rope_parameters (Gemma 3: rope_parameters[kind]) or
 * transformers 4's rope_theta + rope_scaling (Gemma 3 sliding layers: rope_local_base_freq, unscaled).
 */
function ropeOf(c: Json, kind: string | null, headDim: number, bad: (f: string, d: string) => never): RopeParams {
  let params: Json | null = null, field = "rope_parameters";
  const rp = c.rope_parameters;
  if (rp && typeof rp === "object") {
    if (kind && (rp as Json)[kind] && typeof (rp as Json)[kind] === "object") { params = (rp as Json)[kind] as Json; field = `rope_parameters.${kind}`; }
    else if (!kind || (rp as Json).rope_theta !== undefined) params = rp as Json;
    else bad("rope_parameters", `no entry for layer kind "${kind}"`);
  } else if (kind === "sliding_attention") {
    return { theta: num(c.rope_local_base_freq) ?? 10000, rotaryDim: headDim, scaling: null };
  } else {
    params = { ...(c.rope_scaling && typeof c.rope_scaling === "object" ? (c.rope_scaling as Json) : {}), rope_theta: c.rope_theta };
    field = "rope_scaling";
  }
  const theta = num(params!.rope_theta) ?? 10000;
  const factor = num(params!.partial_rotary_factor ?? c.partial_rotary_factor) ?? 1;
  const rotaryDim = Math.floor(headDim * factor);
  if (!(factor > 0 && factor <= 1) || rotaryDim % 2 !== 0) bad(`${field}.partial_rotary_factor`, `${factor} x head_dim ${headDim} is not an even number of rotary dims`);
  return { theta, rotaryDim, scaling: ropeScaling(params!, field, bad) };
}

/** rope_type "default" / "linear" / "llama3"; others ("dynamic", "yarn", "longrope", ...) refused by name. */
function ropeScaling(p: Json, field: string, bad: (f: string, d: string) => never): RopeScaling | null {
  const type = String(p.rope_type ?? p.type ?? "default");
  if (type === "default") return null;
  const factor = positive(p.factor, `${field}.factor`, bad);
  if (type === "linear") return { type, factor };
  if (type === "llama3") {
    return {
      type, factor,
      lowFreqFactor: positive(p.low_freq_factor, `${field}.low_freq_factor`, bad),
      highFreqFactor: positive(p.high_freq_factor, `${field}.high_freq_factor`, bad),
      originalMax: positive(p.original_max_position_embeddings, `${field}.original_max_position_embeddings`, bad),
    };
  }
  return bad(`${field}.rope_type`, `"${type}" RoPE scaling is not supported (supported: default, linear, llama3)`);
}

/** Keys of `c` the reader neither reads nor knows to be harmless (a test fails on any in the zoo's configs). */
export function unknownKeys(c: Json): string[] {
  return Object.keys(c).filter((k) => !HARMLESS_KEYS.has(k) && !READ_KEYS.has(k));
}
