/**
 * LlamaConfig: the numbers a Llama-family forward pass needs, gathered from whatever the file
 * offers (config.json, GGUF metadata, the llama2.c header, an ONNX graph's tensors) and checked
 * against the tensor shapes, so a wrong header is reported before any weight is read.
 */
import { readTensorBytes } from "../formats/read-tensor.ts";
import { FormatError } from "../formats/errors.ts";
import type { TensorSource } from "../formats/types.ts";
import { decodeToF32 } from "../tensor/decode.ts";
import { llamaFamily, type Family } from "./family.ts";
import { HF_ARCHITECTURES, hfFamily } from "./family-config.ts";
import { ggufArchitecture, type GgufArchitecture } from "./gguf-family.ts";

export interface LlamaConfig {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  headDim: number;
  vocabSize: number;
  /** most tokens one window may hold (the evaluator cuts documents at this length) */
  contextLength: number;
  normEps: number;
  ropeTheta: number;
  /**
   * RoPE layout of the stored q/k rows: "adjacent" (llama2.c, GGUF: pairs (2i, 2i+1)) or
   * "half" (Hugging Face rotate-half: pairs (i, i + headDim/2)). The loader normalises q/k rows
   * to "adjacent", so the forward pass knows one layout.
   */
  ropeLayout: "adjacent" | "half";
  /** how the family departs from Llama (norms, positions, attention, MLP options) */
  family: Family;
}

/** above any real Llama (405B has 126 layers, 128 heads); bounds allocations from a bad header */
export const MAX_LAYERS = 1024;
export const MAX_HEADS = 4096;
/** context length used when a file states none (ONNX graphs carry no config) */
export const DEFAULT_CONTEXT_LENGTH = 2048;
const DEFAULT_THETA = 10000;
const DEFAULT_EPS = 1e-5;

/** The model's LlamaConfig, or a FormatError naming the file and the missing or inconsistent field. */
export async function llamaConfig(source: TensorSource): Promise<LlamaConfig> {
  const c = source.config;
  const file = source.name;
  const shape = (name: string) => source.tensors.find((t) => t.name === name)?.shape;
  const need = (v: number | undefined, field: string, limit: number): number => {
    if (v === undefined || !Number.isSafeInteger(v) || v <= 0 || v > limit) {
      throw new FormatError(file, field, v === undefined ? "missing (needed to run the model)" : `${v} is outside [1, ${limit}]`);
    }
    return v;
  };
  const json = source.metadata.config as Record<string, unknown> | undefined;
  if (source.format === "safetensors" && json && typeof json === "object") return hfConfig(source, json);
  const gguf = source.format === "gguf" ? ggufArchitecture(source) : null;
  unsupported(source, gguf?.arch ?? null);
  const embed = shape("model.embed_tokens.weight");
  if (!embed || embed.length !== 2) throw new FormatError(file, "model.embed_tokens.weight", "missing: not a Llama-family model");
  const dim = need(c.dim ?? embed[1], "dim", 1 << 20);
  const vocabSize = need(c.vocabSize ?? embed[0], "vocab_size", 1 << 24);
  const nLayers = need(c.nLayers, "n_layers", MAX_LAYERS);
  // stored shapes: [out, in] or, for ONNX MatMul weights, [in, out]
  const outOf = (name: string) => {
    const t = source.tensors.find((x) => x.name === name);
    return t ? (t.layout === "in_out" ? t.shape[1] : t.shape[0]) : undefined;
  };
  const hiddenDim = need(c.hiddenDim ?? outOf("model.layers.0.mlp.gate_proj.weight"), "hidden_dim", 1 << 22);
  let nHeads = c.nHeads;
  let ropeTheta = c.ropeTheta;
  if (nHeads === undefined && source.format === "onnx") ({ nHeads, ropeTheta } = await onnxHeads(source, dim, ropeTheta));
  nHeads = need(nHeads, "n_heads", MAX_HEADS);
  if (gguf?.headDim === undefined && dim % nHeads !== 0) throw new FormatError(file, "n_heads", `${nHeads} does not divide dim ${dim}`);
  const headDim = gguf?.headDim ?? dim / nHeads;
  const kvOut = outOf("model.layers.0.self_attn.k_proj.weight");
  const nKvHeads = need(c.nKvHeads ?? (kvOut !== undefined ? kvOut / headDim : undefined), "n_kv_heads", MAX_HEADS);
  if (nHeads % nKvHeads !== 0) throw new FormatError(file, "n_kv_heads", `${nKvHeads} does not divide n_heads ${nHeads}`);
  if (kvOut !== undefined && kvOut !== nKvHeads * headDim) {
    throw new FormatError(file, "n_kv_heads", `k_proj has ${kvOut} rows, expected ${nKvHeads} x ${headDim}`);
  }
  const theta = positive(file, "rope_theta", ropeTheta ?? DEFAULT_THETA, false);
  return {
    dim, hiddenDim, nLayers, nHeads, nKvHeads, headDim, vocabSize,
    contextLength: need(c.contextLength ?? DEFAULT_CONTEXT_LENGTH, "context_length", 1 << 24),
    normEps: positive(file, "rms_norm_eps", c.normEps ?? DEFAULT_EPS, true),
    ropeTheta: theta,
    ropeLayout: gguf ? gguf.ropeLayout : source.format === "safetensors" || source.format === "onnx" ? "half" : "adjacent",
    family: ggufOptions(llamaFamily(String(c.architecture ?? "llama"), theta, headDim, nLayers), gguf),
  };
}

/** A GGUF architecture's options on the Llama family: q/k norms, MoE, partial rotary, sliding window. */
function ggufOptions(f: Family, g: GgufArchitecture | null): Family {
  if (!g) return f;
  const rope = f.rope && g.rotaryDim !== undefined ? f.rope.map((r) => ({ ...r, rotaryDim: g.rotaryDim! })) : f.rope;
  return { ...f, qkNorm: g.qkNorm, moe: g.moe, rope, window: g.slidingWindow ? f.window.map(() => g.slidingWindow!) : f.window };
}

/** Token embedding names: Llama-style and OPT's decoder. */
const EMBED_NAMES = ["model.embed_tokens.weight", "model.decoder.embed_tokens.weight"];

/** A Hugging Face config.json (either transformers form) checked against the tensor shapes. */
function hfConfig(source: TensorSource, json: Record<string, unknown>): LlamaConfig {
  const file = source.name;
  const c = (json.hidden_size === undefined && json.text_config && typeof json.text_config === "object" ? json.text_config : json) as Record<string, unknown>;
  const arch = String(c.model_type ?? json.model_type ?? "llama").toLowerCase();
  if (!(HF_ARCHITECTURES as readonly string[]).includes(arch)) {
    throw new FormatError(file, "config.json model_type", `"${arch}" is not a model family quantlens can run (supported: ${HF_ARCHITECTURES.join(", ")})`);
  }
  const shape = (name: string) => source.tensors.find((t) => t.name === name)?.shape;
  const embed = EMBED_NAMES.map(shape).find((s) => s !== undefined);
  if (!embed || embed.length !== 2) throw new FormatError(file, "model.embed_tokens.weight", "missing: no token embedding");
  const need = (v: unknown, field: string, limit: number): number => {
    const n = typeof v === "number" ? v : undefined;
    if (n === undefined || !Number.isSafeInteger(n) || n <= 0 || n > limit) {
      throw new FormatError(file, `config.json ${field}`, n === undefined ? "missing (needed to run the model)" : `${n} is outside [1, ${limit}]`);
    }
    return n;
  };
  const dim = need(c.hidden_size ?? embed[1], "hidden_size", 1 << 20);
  if (dim !== embed[1]) throw new FormatError(file, "config.json hidden_size", `${dim}, but the embedding has ${embed[1]} columns`);
  const nLayers = need(c.num_hidden_layers, "num_hidden_layers", MAX_LAYERS);
  const nHeads = need(c.num_attention_heads, "num_attention_heads", MAX_HEADS);
  const nKvHeads = need(c.num_key_value_heads ?? nHeads, "num_key_value_heads", MAX_HEADS);
  if (nHeads % nKvHeads !== 0) throw new FormatError(file, "config.json num_key_value_heads", `${nKvHeads} does not divide num_attention_heads ${nHeads}`);
  const headDim = c.head_dim == null ? dim / nHeads : need(c.head_dim, "head_dim", 1 << 16);
  if (!Number.isSafeInteger(headDim)) throw new FormatError(file, "config.json num_attention_heads", `${nHeads} does not divide hidden_size ${dim}`);
  const family = hfFamily(file, c, arch, nLayers, headDim);
  for (const rp of family.rope ?? []) positive(file, "config.json rope_theta", rp.theta, false);
  const theta = family.rope?.[0]?.theta ?? DEFAULT_THETA;
  return {
    dim, nLayers, nHeads, nKvHeads, headDim,
    hiddenDim: need(c.intermediate_size ?? c.ffn_dim, arch === "opt" ? "ffn_dim" : "intermediate_size", 1 << 22),
    vocabSize: need(c.vocab_size ?? embed[0], "vocab_size", 1 << 24),
    contextLength: need(c.max_position_embeddings ?? DEFAULT_CONTEXT_LENGTH, "max_position_embeddings", 1 << 24),
    normEps: positive(file, "config.json rms_norm_eps", typeof c.rms_norm_eps === "number" ? c.rms_norm_eps : typeof c.layer_norm_eps === "number" ? c.layer_norm_eps : DEFAULT_EPS, true),
    ropeTheta: theta,
    ropeLayout: "half",
    family,
  };
}

/** architectures of files without a config.json (GGUF llama, llama2.c, ONNX) read as Llama */
export const SUPPORTED_ARCHITECTURES = ["llama", "mistral"];

/**
 * Files without a config.json (GGUF `llama`, llama2.c, ONNX) run as plain Llama; what that would
 * get wrong is refused by name: RoPE scaling (GGUF's rope_freqs tensor), another architecture,
 * q/k/v biases or q/k norms under the llama architecture. (GGUF qwen2 / qwen3: lib/model/gguf-family.ts.)
 */

function unsupported(source: TensorSource, ggufArch: string | null): void {
  const cfg = (source.metadata.config ?? {}) as Record<string, unknown>;
  const scaling = cfg.rope_scaling as Record<string, unknown> | null | undefined;
  const kind = scaling ? String(scaling.rope_type ?? scaling.type ?? "") : "";
  if (scaling && kind !== "default") throw new FormatError(source.name, "config.json rope_scaling", `"${kind}" RoPE scaling is not supported by quantlens' forward pass`);
  const nHeads = Number(cfg.num_attention_heads), hidden = Number(cfg.hidden_size);
  if (cfg.head_dim !== undefined && cfg.head_dim !== null && Number(cfg.head_dim) !== hidden / nHeads) {
    throw new FormatError(source.name, "config.json head_dim", `${String(cfg.head_dim)} differs from hidden_size / num_attention_heads = ${hidden / nHeads}; not supported`);
  }
  const names = new Set(source.tensors.map((t) => t.name));
  if (names.has("rope_freqs.weight")) throw new FormatError(source.name, "rope_freqs.weight", "RoPE frequency scaling (Llama 3.1) is not supported by quantlens' forward pass");
  if (ggufArch !== null && ggufArch !== "llama") return; // Qwen2's biases and Qwen3's q/k norms are options of the pass
  const arch = String(cfg.model_type ?? source.config.architecture ?? "llama").toLowerCase();
  if (!SUPPORTED_ARCHITECTURES.some((a) => arch.includes(a))) {
    throw new FormatError(source.name, "architecture", `"${arch}" is not a Llama-family model quantlens can run (supported: ${SUPPORTED_ARCHITECTURES.join(", ")})`);
  }
  for (const bad of ["model.layers.0.self_attn.q_proj.bias", "model.layers.0.self_attn.q_norm.weight", "blk.0.attn_q_norm.weight"]) {
    if (names.has(bad)) throw new FormatError(source.name, bad, "this Llama variant (attention biases or q/k norms) is not supported by quantlens' forward pass");
  }
}

/**
 * ONNX exports of Hugging Face Llama carry no config; the rotary inverse frequencies are a small
 * f32 initializer holding headDim/2 values 1, theta^(-2/headDim), theta^(-4/headDim), ...: n_heads
 * and theta come from it. Returns undefined fields when there is none (n_heads is then reported missing).
 */
async function onnxHeads(source: TensorSource, dim: number, theta?: number): Promise<{ nHeads?: number; ropeTheta?: number }> {
  for (const t of [...(source.buffers ?? []), ...source.tensors]) {
    if (t.dtype !== "F32" || t.numel < 2 || t.numel > MAX_HEADS || t.name.startsWith("model.") || t.name.startsWith("lm_head")) continue;
    if (t.shape.filter((d) => d !== 1).length !== 1) continue;
    const inv = decodeToF32("F32", await readTensorBytes(source, t));
    const headDim = 2 * inv.length;
    const th = Math.pow(inv[1]!, -headDim / 2);
    // geometric with ratio theta^(-2/headDim), to f32 precision
    const geometric = inv[0] === 1 && inv.every((v, i) => Math.abs(v - Math.pow(th, (-2 * i) / headDim)) <= 1e-6 * Math.max(v, 1e-30) + 1e-12);
    if (geometric && dim % headDim === 0) return { nHeads: dim / headDim, ropeTheta: theta ?? Math.round(th) };
  }
  return { ropeTheta: theta };
}

/** A finite value > 0 (>= 0 when `zero` is allowed): a negative rope_theta or eps makes NaN logits (issue 12). */
function positive(file: string, field: string, v: number, zero: boolean): number {
  if (!Number.isFinite(v) || v < 0 || (!zero && v === 0)) {
    throw new FormatError(file, field, `${v} must be a finite number ${zero ? ">= 0" : "> 0"} (the forward pass would produce NaN)`);
  }
  return v;
}
