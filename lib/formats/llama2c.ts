/**
 * llama2.c checkpoints (karpathy/llama2.c `export.py`), fp32, little-endian:
 *
 *   version 0 ("legacy"): 7 x i32 header (dim, hidden_dim, n_layers, n_heads, n_kv_heads,
 *     vocab_size, seq_len; vocab_size < 0 = unshared classifier), then token_embedding,
 *     rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3 (each stacked [n_layers, ...]), rms_final,
 *     freq_cis_real, freq_cis_imag [seq_len, head_size/2], then wcls if unshared.
 *   version 1: u32 magic "ak42" | i32 version | the same 7 x i32 | u8 shared_classifier,
 *     zero padding to 256 bytes, then rms_att, rms_ffn, rms_final, token_embedding, wq, wk,
 *     wv, wo, w1, w2, w3, [wcls]. No freq_cis arrays. (Version 2 is llama2.c's own int8
 *     group quantization, not supported.)
 *
 * Each stacked array becomes one TensorInfo per layer with its Hugging Face name (w1/w2/w3 =
 * gate/down/up, DESIGN.md). The freq_cis arrays are RoPE tables, not weights: they are not
 * listed as tensors; their offsets are kept in metadata. Matrices are row-major [out][in].
 */
import { readTensorChunks } from "./chunks.ts";
import { FormatError } from "./errors.ts";
import type { ByteSource, ModelConfig, TensorInfo, TensorSource } from "./types.ts";

/** "ak42" read as a little-endian u32: the version 1/2 export header. */
export const LLAMA2C_MAGIC = 0x616b3432;
/** Header size of the version 1/2 exports. */
export const LLAMA2C_V1_HEADER_BYTES = 256;
/** Largest dim / hidden_dim / vocab / seq_len accepted: far above any llama2.c model. */
export const MAX_LLAMA2C_SIZE = 1 << 24;
/** Largest layer or head count accepted. */
export const MAX_LLAMA2C_COUNT = 4096;

/** The header fields, as in run.c's `Config`. */
export interface Llama2cHeader {
  version: 0 | 1;
  dim: number; hiddenDim: number; nLayers: number; nHeads: number; nKvHeads: number;
  vocabSize: number; seqLen: number; sharedClassifier: boolean; headerBytes: number;
}

/** Reads and validates the header (either version). */
async function readHeader(src: ByteSource): Promise<Llama2cHeader> {
  if (src.size < 28) throw new FormatError(src.name, "header", `${src.size} bytes is shorter than the 28-byte llama2.c header`);
  const head = await src.read(0, Math.min(src.size, LLAMA2C_V1_HEADER_BYTES));
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let version: 0 | 1 = 0, base = 0, headerBytes = 28;
  if (dv.getUint32(0, true) === LLAMA2C_MAGIC) {
    const v = head.length >= 37 ? dv.getInt32(4, true) : -1;
    if (v !== 1) throw new FormatError(src.name, "version", `llama2.c export version ${v} is not supported (only 0 and 1)`);
    if (src.size < LLAMA2C_V1_HEADER_BYTES) throw new FormatError(src.name, "header", `${src.size} bytes is shorter than the 256-byte v1 header`);
    version = 1; base = 8; headerBytes = LLAMA2C_V1_HEADER_BYTES;
  }
  const names = ["dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"];
  const v = names.map((_, i) => dv.getInt32(base + 4 * i, true));
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, rawVocab, seqLen] = v as [number, number, number, number, number, number, number];
  const vocabSize = Math.abs(rawVocab);
  const limits = [MAX_LLAMA2C_SIZE, MAX_LLAMA2C_SIZE, MAX_LLAMA2C_COUNT, MAX_LLAMA2C_COUNT, MAX_LLAMA2C_COUNT, MAX_LLAMA2C_SIZE, MAX_LLAMA2C_SIZE];
  const vals = [dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen];
  vals.forEach((x, i) => {
    if (x < 1 || x > limits[i]!) {
      throw new FormatError(src.name, names[i]!, `${v[i]} is outside [1, ${limits[i]}] (not a llama2.c checkpoint?)`);
    }
  });
  if (dim % nHeads !== 0) throw new FormatError(src.name, "n_heads", `${nHeads} does not divide dim ${dim}`);
  if ((dim / nHeads) % 2 !== 0) throw new FormatError(src.name, "n_heads", `head size ${dim / nHeads} is odd (RoPE rotates pairs)`);
  if (nHeads % nKvHeads !== 0) throw new FormatError(src.name, "n_kv_heads", `${nKvHeads} does not divide n_heads ${nHeads}`);
  const sharedClassifier = version === 1 ? head[36] === 1 : rawVocab > 0;
  return { version, dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen, sharedClassifier, headerBytes };
}

interface Segment { key: string; perLayer: boolean; shape: number[] }

/** Arrays in file order for a version, each with its per-layer shape. */
function layout(h: Llama2cHeader): Segment[] {
  const kvDim = (h.dim / h.nHeads) * h.nKvHeads;
  const s = (key: string, perLayer: boolean, ...shape: number[]): Segment => ({ key, perLayer, shape });
  const norms = [s("rms_att", true, h.dim), s("rms_ffn", true, h.dim), s("rms_final", false, h.dim)];
  const embed = s("token_embedding", false, h.vocabSize, h.dim);
  const mats = [
    s("wq", true, h.dim, h.dim), s("wk", true, kvDim, h.dim), s("wv", true, kvDim, h.dim), s("wo", true, h.dim, h.dim),
  ];
  const ffn = [s("w1", true, h.hiddenDim, h.dim), s("w2", true, h.dim, h.hiddenDim), s("w3", true, h.hiddenDim, h.dim)];
  const half = h.dim / h.nHeads / 2;
  const wcls = h.sharedClassifier ? [] : [s("wcls", false, h.vocabSize, h.dim)];
  if (h.version === 1) return [...norms, embed, ...mats, ...ffn, ...wcls];
  return [
    embed, norms[0]!, ...mats, norms[1]!, ...ffn, norms[2]!,
    s("freq_cis_real", false, h.seqLen, half), s("freq_cis_imag", false, h.seqLen, half), ...wcls,
  ];
}

/** Hugging Face name of array `key` (layer `i`). */
const HF: Record<string, (i: number) => string> = {
  token_embedding: () => "model.embed_tokens.weight",
  rms_att: (i) => `model.layers.${i}.input_layernorm.weight`,
  wq: (i) => `model.layers.${i}.self_attn.q_proj.weight`,
  wk: (i) => `model.layers.${i}.self_attn.k_proj.weight`,
  wv: (i) => `model.layers.${i}.self_attn.v_proj.weight`,
  wo: (i) => `model.layers.${i}.self_attn.o_proj.weight`,
  rms_ffn: (i) => `model.layers.${i}.post_attention_layernorm.weight`,
  w1: (i) => `model.layers.${i}.mlp.gate_proj.weight`,
  w2: (i) => `model.layers.${i}.mlp.down_proj.weight`,
  w3: (i) => `model.layers.${i}.mlp.up_proj.weight`,
  rms_final: () => "model.norm.weight",
  wcls: () => "lm_head.weight",
};

/** Canonical listing order: embed, each layer's modules, final norm, lm_head. */
const ORDER = ["token_embedding", "rms_att", "wq", "wk", "wv", "wo", "rms_ffn", "w1", "w3", "w2"];

/** Opens a llama2.c version 0 or 1 checkpoint; the file size must match the header exactly. */
export async function openLlama2c(src: ByteSource, opts: { name?: string } = {}): Promise<TensorSource> {
  const h = await readHeader(src);
  const tensors: TensorInfo[] = [];
  const extra: Record<string, number> = {};
  let off = h.headerBytes;
  for (const seg of layout(h)) {
    const numel = seg.shape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < (seg.perLayer ? h.nLayers : 1); i++) {
      const byteLength = numel * 4;
      const name = HF[seg.key]?.(i);
      if (name) {
        const fileName = seg.perLayer ? `${seg.key}[${i}]` : seg.key;
        tensors.push({ name, fileName, dtype: "F32", shape: seg.shape, numel, shard: 0, byteOffset: off, byteLength });
      } else {
        extra[`llama2c.${seg.key}_offset`] = off;
      }
      off += byteLength;
    }
  }
  if (off !== src.size) {
    throw new FormatError(src.name, "file size", `${src.size} bytes, but the header describes ${off} (${
      h.sharedClassifier ? "shared" : "separate"} classifier); truncated file or wrong header?`);
  }
  const embed = tensors.find((t) => t.name === "model.embed_tokens.weight")!;
  if (h.sharedClassifier) tensors.push({ ...embed, name: "lm_head.weight" }); // tied (DESIGN.md)
  const rank = (t: TensorInfo) => {
    const k = t.fileName.replace(/\[\d+\]$/, "");
    const layer = /\[(\d+)\]$/.exec(t.fileName);
    if (t.name === "lm_head.weight") return 3e9;
    if (k === "rms_final") return 2e9;
    return layer ? 1 + Number(layer[1]) * 100 + ORDER.indexOf(k) : 0;
  };
  tensors.sort((a, b) => rank(a) - rank(b));
  const config: ModelConfig = {
    architecture: "llama", dim: h.dim, hiddenDim: h.hiddenDim, nLayers: h.nLayers, nHeads: h.nHeads,
    nKvHeads: h.nKvHeads, vocabSize: h.vocabSize, contextLength: h.seqLen,
    ropeTheta: 10000, normEps: 1e-5, // fixed in run.c
    tiedEmbeddings: h.sharedClassifier,
  };
  return {
    format: "llama2c",
    name: opts.name ?? src.name,
    tensors, config,
    metadata: { "llama2c.version": h.version, "llama2c.header": { ...h }, ...extra },
    shards: [src],
    readRaw: (t, chunkBytes) => readTensorChunks(src, t, chunkBytes),
    close: () => src.close(),
  };
}
