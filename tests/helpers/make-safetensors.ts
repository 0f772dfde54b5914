/**
 * Writes tiny Llama-shaped safetensors fixtures for tests (format: huggingface/safetensors
 * README): u64 header length, JSON header, then each tensor's little-endian bytes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type StDType = "F64" | "F32" | "F16" | "BF16" | "I8" | "U8" | "I16" | "I32" | "I64";
export const ITEM_BYTES: Record<StDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I8: 1, U8: 1, I16: 2, I32: 4, I64: 8 };

export interface TensorSpec { dtype: StDType; shape: number[]; values: number[] }

/** Deterministic synthetic values (STYLE.md tests): 0.1 + 2*cos(i + offset). */
export function wave(n: number, offset = 0): number[] {
  return Array.from({ length: n }, (_, i) => 0.1 + 2 * Math.cos(i + offset));
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float → IEEE half, round to nearest even (overflow → Inf). */
export function toF16(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rem > mid || (rem === mid && (half & 1)) ? 1 : 0));
  }
  const h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  return sign | (h + (rem > 0x1000 || (rem === 0x1000 && (h & 1)) ? 1 : 0));
}

/** float → bfloat16 (upper half of f32), round to nearest even. */
export function toBF16(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  if (Number.isNaN(x)) return 0x7fc0;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Little-endian bytes of `values` as `dtype`. */
export function encode(dtype: StDType, values: number[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length * ITEM_BYTES[dtype]);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => {
    switch (dtype) {
      case "F64": dv.setFloat64(i * 8, v, true); break;
      case "F32": dv.setFloat32(i * 4, v, true); break;
      case "F16": dv.setUint16(i * 2, toF16(v), true); break;
      case "BF16": dv.setUint16(i * 2, toBF16(v), true); break;
      case "I8": dv.setInt8(i, v); break;
      case "U8": dv.setUint8(i, v); break;
      case "I16": dv.setInt16(i * 2, v, true); break;
      case "I32": dv.setInt32(i * 4, v, true); break;
      case "I64": dv.setBigInt64(i * 8, BigInt(v), true); break;
    }
  });
  return out;
}

/** A safetensors file holding `tensors` in insertion order. `header` edits the JSON before writing. */
export function makeSafetensors(
  tensors: Record<string, TensorSpec>,
  opts: { metadata?: Record<string, string>; header?: (h: Record<string, unknown>) => void } = {},
): Uint8Array<ArrayBuffer> {
  const header: Record<string, unknown> = opts.metadata ? { __metadata__: opts.metadata } : {};
  const datas: Uint8Array[] = [];
  let off = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = encode(t.dtype, t.values);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + bytes.length] };
    datas.push(bytes);
    off += bytes.length;
  }
  opts.header?.(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let p = 8 + json.length;
  for (const d of datas) { out.set(d, p); p += d.length; }
  return out;
}

/** Shape of the tiny test Llama (GQA: 2 query heads, 1 KV head). */
export const TINY = { dim: 8, hidden: 12, layers: 2, heads: 2, kvHeads: 1, vocab: 16 };

/** Llama tensors of TINY shape, F32 unless `dtype` says otherwise; lm_head only when untied. */
export function tinyLlama(dtype: StDType = "F32", tied = true): Record<string, TensorSpec> {
  const { dim, hidden, layers, kvHeads, heads, vocab } = TINY;
  const kv = (dim / heads) * kvHeads;
  const t: Record<string, TensorSpec> = {};
  let k = 0;
  const add = (name: string, shape: number[]) => {
    t[name] = { dtype, shape, values: wave(shape.reduce((a, b) => a * b, 1), k++) };
  };
  add("model.embed_tokens.weight", [vocab, dim]);
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}`;
    add(`${p}.input_layernorm.weight`, [dim]);
    add(`${p}.self_attn.q_proj.weight`, [dim, dim]);
    add(`${p}.self_attn.k_proj.weight`, [kv, dim]);
    add(`${p}.self_attn.v_proj.weight`, [kv, dim]);
    add(`${p}.self_attn.o_proj.weight`, [dim, dim]);
    add(`${p}.post_attention_layernorm.weight`, [dim]);
    add(`${p}.mlp.gate_proj.weight`, [hidden, dim]);
    add(`${p}.mlp.up_proj.weight`, [hidden, dim]);
    add(`${p}.mlp.down_proj.weight`, [dim, hidden]);
  }
  add("model.norm.weight", [dim]);
  if (!tied) add("lm_head.weight", [vocab, dim]);
  return t;
}

/** transformers config.json for TINY. */
export function tinyConfig(tied = true): Record<string, unknown> {
  return {
    architectures: ["LlamaForCausalLM"], model_type: "llama", hidden_size: TINY.dim, intermediate_size: TINY.hidden,
    num_hidden_layers: TINY.layers, num_attention_heads: TINY.heads, num_key_value_heads: TINY.kvHeads,
    vocab_size: TINY.vocab, max_position_embeddings: 64, rope_theta: 10000, rms_norm_eps: 1e-5, tie_word_embeddings: tied,
  };
}

/** A fresh temporary folder. */
export function tmpDir(prefix = "quantlens-st-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes config.json and either model.safetensors or `shards` shards + model.safetensors.index.json. */
export function writeModelDir(dir: string, tensors: Record<string, TensorSpec>, config: Record<string, unknown> | null, shards = 1): void {
  mkdirSync(dir, { recursive: true });
  if (config) writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  if (shards === 1) {
    writeFileSync(join(dir, "model.safetensors"), makeSafetensors(tensors));
    return;
  }
  const names = Object.keys(tensors);
  const per = Math.ceil(names.length / shards);
  const weightMap: Record<string, string> = {};
  for (let s = 0; s < shards; s++) {
    const file = `model-${String(s + 1).padStart(5, "0")}-of-${String(shards).padStart(5, "0")}.safetensors`;
    const part = Object.fromEntries(names.slice(s * per, (s + 1) * per).map((n) => [n, tensors[n]!]));
    for (const n of Object.keys(part)) weightMap[n] = file;
    writeFileSync(join(dir, file), makeSafetensors(part));
  }
  writeFileSync(join(dir, "model.safetensors.index.json"), JSON.stringify({ metadata: {}, weight_map: weightMap }));
}
