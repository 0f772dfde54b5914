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
import { layerNames } from "./tensor-names.ts";

export interface ExpertWeights {
  gate: Float32Array; // (hiddenDim, dim)  Mixtral w1
  up: Float32Array; // (hiddenDim, dim)    Mixtral w3
  down: Float32Array; // (dim, hiddenDim)  Mixtral w2
}

/** One layer; optional fields exist only when the family has them (never present as undefined). */
export interface LayerWeights {
  attnNorm: Float32Array; // (dim)  Gemma: already 1 + w
  attnNormBias?: Float32Array; // (dim)  LayerNorm (OPT)
  wq: Float32Array; // (nHeads * headDim, dim)
  wk: Float32Array; // (nKvHeads * headDim, dim)
  wv: Float32Array; // (nKvHeads * headDim, dim)
  wo: Float32Array; // (dim, nHeads * headDim)
  bq?: Float32Array; bk?: Float32Array; bv?: Float32Array; bo?: Float32Array; // q/k/v/o biases (Qwen2, OPT)
  qNorm?: Float32Array; kNorm?: Float32Array; // (headDim) Qwen3, Gemma 3
  postAttnNorm?: Float32Array; // (dim) Gemma's sandwich norm on the attention output
  ffnNorm: Float32Array; // (dim)
  ffnNormBias?: Float32Array;
  postFfnNorm?: Float32Array; // (dim) Gemma
  gate?: Float32Array; // (hiddenDim, dim)   llama2.c w1; absent for OPT's fc1 -> fc2 and MoE
  up?: Float32Array; // (hiddenDim, dim)     llama2.c w3; OPT fc1
  down?: Float32Array; // (dim, hiddenDim)   llama2.c w2; OPT fc2
  bUp?: Float32Array; bDown?: Float32Array; // OPT fc1 / fc2 biases
  router?: Float32Array; // (experts, dim) MoE gate, kept in float
  experts?: ExpertWeights[];
}

export interface LlamaWeights {
  embed: Float32Array; // (vocab, dim)
  positions?: Float32Array; // (contextLength + offset, dim) learned positions (OPT)
  layers: LayerWeights[];
  finalNorm: Float32Array; // (dim)
  finalNormBias?: Float32Array;
  lmHead: Float32Array; // (vocab, dim); === embed when tied
}

/** Hooks of a load that builds the model as its weights stream in (issue 14's peak memory). */
export interface WeightStream {
  /**
   * The token embedding, as soon as it is read; `tied`: lm_head is the same bytes. What it returns
   * replaces the embedding (and a tied lm_head) in the weights: an empty array once a Linear that
   * can read its rows back holds it.
   */
  onEmbed?: (embed: Float32Array, tied: boolean) => Float32Array | void;
  /**
   * Runs as each layer is read, before the next is: a caller that builds the layer's Linears there
   * and releases its arrays (buildLayer, releaseLayer) holds one layer of float32 weights at a time.
   */
  onLayer?: (l: number, L: LayerWeights) => void;
}

/** Reads and decodes every weight of `source`; `onTensor` reports progress (tensors done, total). */
export async function loadLlamaWeights(
  source: TensorSource, c: LlamaConfig, onTensor?: (done: number, total: number) => void, stream: WeightStream = {},
): Promise<LlamaWeights> {
  const byName = new Map(source.tensors.map((t) => [t.name, t]));
  const has = (name: string) => name !== "" && byName.has(name);
  const fam = c.family;
  const total = source.tensors.length;
  let done = 0;
  // tied lm_head: the embedding's bytes, read once (only the embedding is kept here: a layer's arrays
  // must be free to go once onLayer has taken them)
  const cache = new Map<string, Float32Array>();
  const keyOf = (t: TensorInfo) => `${t.shard}:${t.byteOffset}:${t.dtype}`;
  const read = async (name: string, rows: number, cols: number, keep = false): Promise<Float32Array> => {
    const t = byName.get(name);
    if (!t) throw new FormatError(source.name, name, "missing tensor");
    const key = keyOf(t);
    let w = cache.get(key);
    if (!w) {
      w = await readTensor(source, t, rows, cols);
      if (keep) cache.set(key, w);
    }
    onTensor?.(++done, total);
    return w;
  };
  const vec = (base: string, n: number) => read(`${base}.weight`, 1, n);
  const optBias = async (base: string, n: number) => (has(`${base}.bias`) ? { b: await read(`${base}.bias`, 1, n) } : {});
  const norm = async (base: string) => (fam.normPlusOne ? plusOne(await vec(base, c.dim)) : vec(base, c.dim));
  // q/k rows (and their biases, q/k norms) into the adjacent-pair RoPE order of lib/model/rope.ts
  const rot = fam.rope?.[0]?.rotaryDim ?? 0;
  const qk = (w: Float32Array, heads: number, cols: number) => (c.ropeLayout === "half" && rot ? unpermuteHalf(w, heads, c.headDim, cols, rot) : w);
  const qDim = c.nHeads * c.headDim, kv = c.nKvHeads * c.headDim, H = c.hiddenDim;
  const embedName = has("model.embed_tokens.weight") ? "model.embed_tokens.weight" : "model.decoder.embed_tokens.weight";
  let embed = await read(embedName, c.vocabSize, c.dim, true);
  if (stream.onEmbed) {
    const headT = byName.get("lm_head.weight"), embedKey = keyOf(byName.get(embedName)!);
    const taken = stream.onEmbed(embed, headT !== undefined && keyOf(headT) === embedKey);
    if (taken) cache.set(embedKey, (embed = taken));
  }
  const positions = fam.rope === null ? await read("model.decoder.embed_positions.weight", c.contextLength + fam.positionOffset, c.dim) : undefined;
  const layers: LayerWeights[] = [];
  for (let l = 0; l < c.nLayers; l++) {
    const n = layerNames(c, l);
    const L: Partial<LayerWeights> = {};
    L.attnNorm = await norm(n.attnNorm);
    if (fam.norm === "layernorm") L.attnNormBias = await read(`${n.attnNorm}.bias`, 1, c.dim);
    // Phi-3's fused projections: Hugging Face qkv_proj / gate_up_proj, or llama.cpp's attn_qkv / ffn_up (GGUF phi3)
    const qkvName = [n.qkv, `blk.${l}.attn_qkv`].find((x) => has(`${x}.weight`));
    const gateUpName = [n.gateUp, fam.arch === "phi3" ? n.up : ""].find((x) => has(`${x}.weight`));
    if (qkvName) {
      // rows [q (heads * headDim); k; v]
      const w = await read(`${qkvName}.weight`, qDim + 2 * kv, c.dim);
      L.wq = w.slice(0, qDim * c.dim); L.wk = w.slice(qDim * c.dim, (qDim + kv) * c.dim); L.wv = w.slice((qDim + kv) * c.dim);
    } else {
      L.wq = await read(`${n.q}.weight`, qDim, c.dim); L.wk = await read(`${n.k}.weight`, kv, c.dim); L.wv = await read(`${n.v}.weight`, kv, c.dim);
    }
    L.wq = qk(L.wq, c.nHeads, c.dim); L.wk = qk(L.wk, c.nKvHeads, c.dim);
    const bq = await optBias(n.q, qDim), bk = await optBias(n.k, kv), bv = await optBias(n.v, kv);
    if (bq.b) L.bq = qk(bq.b, c.nHeads, 1);
    if (bk.b) L.bk = qk(bk.b, c.nKvHeads, 1);
    if (bv.b) L.bv = bv.b;
    L.wo = await read(`${n.o}.weight`, c.dim, qDim);
    const bo = await optBias(n.o, c.dim);
    if (bo.b) L.bo = bo.b;
    if (fam.qkNorm) {
      const plus = (w: Float32Array) => (fam.normPlusOne ? plusOne(w) : w);
      L.qNorm = qk(plus(await vec(n.qNorm, c.headDim)), 1, 1);
      L.kNorm = qk(plus(await vec(n.kNorm, c.headDim)), 1, 1);
    }
    if (fam.sandwichNorms) L.postAttnNorm = await norm(n.postAttnNorm);
    L.ffnNorm = await norm(n.ffnNorm);
    if (fam.norm === "layernorm") L.ffnNormBias = await read(`${n.ffnNorm}.bias`, 1, c.dim);
    if (fam.sandwichNorms) L.postFfnNorm = await norm(n.postFfnNorm);
    if (fam.moe) {
      L.router = await read(`${n.router}.weight`, fam.moe.experts, c.dim);
      L.experts = [];
      const E = fam.moe.experts;
      if (has(`${n.stacked("gate")}.weight`)) {
        // GGUF: [experts, hiddenDim, dim] (down: [experts, dim, hiddenDim]), expert e is slice e
        const [g, u, d] = [await read(`${n.stacked("gate")}.weight`, E * H, c.dim), await read(`${n.stacked("up")}.weight`, E * H, c.dim), await read(`${n.stacked("down")}.weight`, E * c.dim, H)];
        const part = (w: Float32Array, e: number) => w.slice((e * w.length) / E, ((e + 1) * w.length) / E);
        for (let e = 0; e < E; e++) L.experts.push({ gate: part(g, e), up: part(u, e), down: part(d, e) });
      } else {
        for (let e = 0; e < E; e++) {
          L.experts.push({ gate: await read(`${n.expert(e, "gate")}.weight`, H, c.dim), up: await read(`${n.expert(e, "up")}.weight`, H, c.dim), down: await read(`${n.expert(e, "down")}.weight`, c.dim, H) });
        }
      }
    } else {
      if (gateUpName) {
        // rows [gate (hiddenDim); up (hiddenDim)]
        const w = await read(`${gateUpName}.weight`, 2 * H, c.dim);
        L.gate = w.slice(0, H * c.dim); L.up = w.slice(H * c.dim);
      } else {
        if (fam.gated) L.gate = await read(`${n.gate}.weight`, H, c.dim);
        L.up = await read(`${n.up}.weight`, H, c.dim);
      }
      L.down = await read(`${n.down}.weight`, c.dim, H);
      const bu = await optBias(n.up, H), bd = await optBias(n.down, c.dim);
      if (bu.b) L.bUp = bu.b;
      if (bd.b) L.bDown = bd.b;
    }
    layers.push(L as LayerWeights);
    stream.onLayer?.(l, L as LayerWeights);
  }
  const finalName = fam.arch === "opt" ? "model.decoder.final_layer_norm" : "model.norm";
  const finalNorm = await norm(finalName);
  const finalNormBias = fam.norm === "layernorm" ? await read(`${finalName}.bias`, 1, c.dim) : undefined;
  const lmHead = await read("lm_head.weight", c.vocabSize, c.dim);
  return { embed, ...(positions ? { positions } : {}), layers, finalNorm, ...(finalNormBias ? { finalNormBias } : {}), lmHead };
}

/** Gemma's (1 + w) RMSNorm weight, computed in float32 as transformers does (`1.0 + weight.float()`). */
export function plusOne(w: Float32Array): Float32Array {
  return w.map((v) => Math.fround(1 + v));
}

/** One tensor as float32 [rows, cols], checked against the expected shape. */
async function readTensor(source: TensorSource, t: TensorInfo, rows: number, cols: number): Promise<Float32Array> {
  const stored = t.layout === "in_out" ? [cols, rows] : rows === 1 ? [cols] : [rows, cols];
  let squeezed = t.shape.filter((d, i) => d !== 1 || i === t.shape.length - 1);
  if (squeezed.length === 3) squeezed = [squeezed[0]! * squeezed[1]!, squeezed[2]!]; // stacked experts [E, rows, cols] read as [E * rows, cols]
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

/**
 * Hugging Face rotate-half q/k rows (per head: even pairs' first halves, then second halves) ->
 * adjacent pairs, over the first `rotaryDim` rows of each head (the rest pass through: partial rotary).
 */
export function unpermuteHalf(w: Float32Array, heads: number, headDim: number, cols: number, rotaryDim = headDim): Float32Array {
  const y = w.slice();
  const half = rotaryDim / 2;
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < rotaryDim; i++) {
      // HF row h*hd + s*half + j holds the original row h*hd + 2j + s
      const s = i < half ? 0 : 1, j = i % half;
      const src = (h * headDim + i) * cols, dst = (h * headDim + 2 * j + s) * cols;
      y.set(w.subarray(src, src + cols), dst);
    }
  }
  return y;
}
