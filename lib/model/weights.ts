/**
 * LlamaWeights: every tensor of a Llama-family model decoded to float32, in one layout whatever
 * the file: linear weights row-major [out, in] (ONNX's [in, out] transposed back), q/k rows in the
 * adjacent-pair RoPE order (Hugging Face rotate-half rows un-permuted), lm_head present (the
 * embedding itself when tied).
 */
import { transpose } from "../tensor/matrix.ts";
import { FormatError } from "../formats/errors.ts";
import type { TensorInfo, TensorSource } from "../formats/types.ts";
import { decodeToF32 } from "../tensor/decode.ts";
import type { LlamaConfig } from "./config.ts";

export interface LayerWeights {
  attnNorm: Float32Array; // (dim)
  wq: Float32Array; // (nHeads * headDim, dim)
  wk: Float32Array; // (nKvHeads * headDim, dim)
  wv: Float32Array; // (nKvHeads * headDim, dim)
  wo: Float32Array; // (dim, nHeads * headDim)
  ffnNorm: Float32Array; // (dim)
  gate: Float32Array; // (hiddenDim, dim)   llama2.c w1
  up: Float32Array; // (hiddenDim, dim)     llama2.c w3
  down: Float32Array; // (dim, hiddenDim)   llama2.c w2
}

export interface LlamaWeights {
  embed: Float32Array; // (vocab, dim)
  layers: LayerWeights[];
  finalNorm: Float32Array; // (dim)
  lmHead: Float32Array; // (vocab, dim); === embed when tied
}

/** Reads and decodes every weight of `source`; `onTensor` reports progress (tensors done, total). */
export async function loadLlamaWeights(
  source: TensorSource, c: LlamaConfig, onTensor?: (done: number, total: number) => void,
): Promise<LlamaWeights> {
  const byName = new Map(source.tensors.map((t) => [t.name, t]));
  const total = 3 + 9 * c.nLayers;
  let done = 0;
  const cache = new Map<string, Float32Array>(); // tied lm_head: same bytes, read once
  const read = async (name: string, rows: number, cols: number): Promise<Float32Array> => {
    const t = byName.get(name);
    if (!t) throw new FormatError(source.name, name, "missing tensor");
    const key = `${t.shard}:${t.byteOffset}:${t.dtype}`;
    let w = cache.get(key);
    if (!w) {
      w = await readTensor(source, t, rows, cols);
      cache.set(key, w);
    }
    onTensor?.(++done, total);
    return w;
  };
  const qkRows = c.ropeLayout === "half" ? (w: Float32Array, heads: number) => unpermuteHalf(w, heads, c.headDim, c.dim) : (w: Float32Array) => w;
  const kv = c.nKvHeads * c.headDim;
  const embed = await read("model.embed_tokens.weight", c.vocabSize, c.dim);
  const layers: LayerWeights[] = [];
  for (let l = 0; l < c.nLayers; l++) {
    const p = `model.layers.${l}.`;
    layers.push({
      attnNorm: await read(`${p}input_layernorm.weight`, 1, c.dim),
      wq: qkRows(await read(`${p}self_attn.q_proj.weight`, c.dim, c.dim), c.nHeads),
      wk: qkRows(await read(`${p}self_attn.k_proj.weight`, kv, c.dim), c.nKvHeads),
      wv: await read(`${p}self_attn.v_proj.weight`, kv, c.dim),
      wo: await read(`${p}self_attn.o_proj.weight`, c.dim, c.dim),
      ffnNorm: await read(`${p}post_attention_layernorm.weight`, 1, c.dim),
      gate: await read(`${p}mlp.gate_proj.weight`, c.hiddenDim, c.dim),
      up: await read(`${p}mlp.up_proj.weight`, c.hiddenDim, c.dim),
      down: await read(`${p}mlp.down_proj.weight`, c.dim, c.hiddenDim),
    });
  }
  const finalNorm = await read("model.norm.weight", 1, c.dim);
  const lmHead = await read("lm_head.weight", c.vocabSize, c.dim);
  return { embed, layers, finalNorm, lmHead };
}

/** One tensor as float32 [rows, cols], checked against the expected shape. */
async function readTensor(source: TensorSource, t: TensorInfo, rows: number, cols: number): Promise<Float32Array> {
  const stored = t.layout === "in_out" ? [cols, rows] : rows === 1 ? [cols] : [rows, cols];
  const squeezed = t.shape.filter((d, i) => d !== 1 || i === t.shape.length - 1);
  if (t.numel !== rows * cols || squeezed.join("x") !== stored.join("x")) {
    throw new FormatError(source.name, `tensor "${t.name}" shape`, `[${t.shape}] where the config implies [${stored}]`);
  }
  const out = new Float32Array(t.numel);
  let o = 0;
  for await (const chunk of source.readRaw(t)) {
    const v = decodeToF32(t.dtype, chunk);
    out.set(v, o);
    o += v.length;
  }
  return t.layout === "in_out" ? transpose(out, cols, rows) : out;
}

/** Hugging Face rotate-half q/k rows (per head: even pairs' first halves, then second halves) -> adjacent pairs. */
export function unpermuteHalf(w: Float32Array, heads: number, headDim: number, cols: number): Float32Array {
  const y = new Float32Array(w.length);
  const half = headDim / 2;
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < headDim; i++) {
      // HF row h*hd + s*half + j holds the original row h*hd + 2j + s
      const s = i < half ? 0 : 1, j = i % half;
      const src = (h * headDim + i) * cols, dst = (h * headDim + 2 * j + s) * cols;
      y.set(w.subarray(src, src + cols), dst);
    }
  }
  return y;
}
