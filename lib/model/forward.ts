/**
 * The forward pass, llama2.c run.c style: one top-to-bottom function, every matmul a Linear (so
 * FP32, pseudo-quantized and integer paths share it), M tokens at a time (M = 1 decodes, a whole
 * window prefills) at positions pos0 .. pos0 + M - 1, with causal attention over the cache. The
 * family options (lib/model/family.ts: biases, q/k norms, sliding windows, sandwich norms, MoE,
 * learned positions, ...) are one call each in lib/model/ops.ts, made only when the model has them.
 */
import type { LlamaConfig } from "./config.ts";
import type { KvCache } from "./kv-cache.ts";
import { attentionKernel } from "../kernels/attention-kernel.ts";
import type { Linear } from "./linear.ts";
import { sparseMoe } from "./moe.ts";
import { activateAll, addBias, addInto, glu, norm, rmsnorm } from "./ops.ts";
import { applyRope, ropeTables, type RopeTables } from "./rope.ts";

export interface ExpertLayer { gate: Linear; up: Linear; down: Linear }

/** One block; optional parts exist only when the family has them. */
export interface LlamaLayer {
  attnNorm: Float32Array; attnNormBias?: Float32Array; // (dim)
  q: Linear; k: Linear; v: Linear; o: Linear;
  bq?: Float32Array; bk?: Float32Array; bv?: Float32Array; bo?: Float32Array;
  qNorm?: Float32Array; kNorm?: Float32Array; // (headDim)
  postAttnNorm?: Float32Array; // (dim) Gemma
  ffnNorm: Float32Array; ffnNormBias?: Float32Array; // (dim)
  postFfnNorm?: Float32Array; // (dim) Gemma
  gate?: Linear; up?: Linear; down?: Linear; // dense MLP (no gate: OPT's fc1 = up, fc2 = down)
  bUp?: Float32Array; bDown?: Float32Array;
  router?: Linear; experts?: ExpertLayer[]; // sparse MoE (Mixtral)
}

export interface LlamaModel {
  config: LlamaConfig;
  embed: Float32Array; // (vocab, dim); empty when embedFromHead
  /** tied embedding read from the float32 lm_head's own copy (lmHead.row): the weights are held once */
  embedFromHead?: boolean;
  positions?: Float32Array; // (contextLength + offset, dim) learned positions (OPT)
  layers: LlamaLayer[];
  finalNorm: Float32Array; finalNormBias?: Float32Array; // (dim)
  lmHead: Linear; // (vocab, dim), never quantized
  /** RoPE tables per layer (layers with the same settings share one), null without RoPE */
  rope: RopeTables[] | null;
  /** "wasm" (kernels-wasm SIMD, the default) or "js" (the float64 scalar reference) */
  attention?: "wasm" | "js";
}

/**
 * Where a linear's input comes from: "attn" (q, k, v), "o", "ffn" (gate, up; the router), "down";
 * for MoE experts also `ffn.{e}` / `down.{e}` (the tokens routed to expert e).
 */
export type LinearSite = "attn" | "o" | "ffn" | "down" | `ffn.${number}` | `down.${number}`;

/** Observers for calibration: the input of each linear site and the cached K/V. */
export interface ForwardHooks {
  linearInput?(layer: number, site: LinearSite, x: Float32Array, M: number): void;
  kv?(layer: number, k: Float32Array, v: Float32Array, M: number): void;
}

/** A model's RoPE tables, one per distinct layer setting, grown as positions are evaluated. */
export function withRope(c: LlamaConfig): RopeTables[] | null {
  const ropes = c.family.rope;
  if (!ropes) return null;
  const shared = new Map<string, RopeTables>(); // by value: 80 layers of one setting hold one table
  return ropes.map((p) => {
    const key = JSON.stringify(p);
    let t = shared.get(key);
    if (!t) shared.set(key, (t = ropeTables(p, c.contextLength)));
    return t;
  });
}

/**
 * Runs tokens[0..M) at positions pos0.. through the model, appending their K/V to `cache`.
 * Returns the final-normed hidden states [M, dim] (logits come from model.lmHead on them).
 */
export function forward(model: LlamaModel, cache: KvCache, tokens: Int32Array, pos0: number, hooks?: ForwardHooks): Float32Array {
  const c = model.config, fam = c.family;
  const { dim, hiddenDim, nHeads, nKvHeads, headDim, normEps: eps } = c;
  const M = tokens.length, T = pos0 + M, qDim = nHeads * headDim, kvDim = nKvHeads * headDim;
  const x = new Float32Array(M * dim); // residual stream
  const xbuf = new Float32Array(M * Math.max(dim, qDim)), xb2 = new Float32Array(M * dim);
  const xb = xbuf.subarray(0, M * dim), xo = xbuf.subarray(0, M * qDim); // norm outputs [M, dim]; attention output [M, qDim]
  const q = new Float32Array(M * qDim), k = new Float32Array(M * kvDim), v = new Float32Array(M * kvDim);
  const keys = new Float32Array(T * kvDim), vals = new Float32Array(T * kvDim);
  const hb = new Float32Array(M * hiddenDim), hb2 = new Float32Array(M * hiddenDim);

  // token embeddings (Gemma: times sqrt(dim); OPT: plus learned positions)
  embedTokens(model, tokens, pos0, x);
  for (let l = 0; l < model.layers.length; l++) {
    const L = model.layers[l]!;
    // attention norm
    norm(fam.norm, xb, x, L.attnNorm, L.attnNormBias, M, dim, eps);
    hooks?.linearInput?.(l, "attn", xb, M);
    // qkv matmuls for these positions (biases: Qwen2, OPT)
    L.q.forward(xb, M, q);
    L.k.forward(xb, M, k);
    L.v.forward(xb, M, v);
    if (L.bq) addBias(q, L.bq, M);
    if (L.bk) addBias(k, L.bk, M);
    if (L.bv) addBias(v, L.bv, M);
    // per-head RMSNorm of queries and keys (Qwen3, Gemma 3)
    if (L.qNorm) rmsnorm(q, q, L.qNorm, M * nHeads, headDim, eps);
    if (L.kNorm) rmsnorm(k, k, L.kNorm, M * nKvHeads, headDim, eps);
    // RoPE (adjacent pairs; the loader normalised Hugging Face rows)
    if (model.rope) {
      applyRope(model.rope[l]!, q, M, nHeads, headDim, pos0);
      applyRope(model.rope[l]!, k, M, nKvHeads, headDim, pos0);
    }
    // K/V into the cache (quantized there when the cache is), read back as the attention sees them
    hooks?.kv?.(l, k, v, M);
    cache.write(l, pos0, M, k, v);
    cache.read(l, 0, T, keys);
    cache.read(l, 1, T, vals);
    // multi-head attention, causal (and windowed: Mistral, Gemma 3's sliding layers)
    const win = fam.window[l]!;
    if (model.attention === "js" || fam.attnSoftcap !== null) {
      attention(xo, q, keys, vals, new Float32Array(T), M, pos0, nHeads, nKvHeads, headDim, win, fam.attnScale, fam.attnSoftcap);
    } else attentionKernel().run(xo, q, keys, vals, M, pos0, nHeads, nKvHeads, headDim, win, fam.attnScale);
    hooks?.linearInput?.(l, "o", xo, M);
    // output projection (Gemma: normed before the residual) and residual
    L.o.forward(xo, M, xb2);
    if (L.bo) addBias(xb2, L.bo, M);
    if (L.postAttnNorm) rmsnorm(xb2, xb2, L.postAttnNorm, M, dim, eps);
    addInto(x, xb2, M * dim);
    // ffn norm
    norm(fam.norm, xb, x, L.ffnNorm, L.ffnNormBias, M, dim, eps);
    hooks?.linearInput?.(l, "ffn", xb, M);
    if (L.experts) {
      // sparse MoE: each token through its top-k experts, weighted (Mixtral)
      sparseMoe(model, L, l, xb, M, xb2, hooks);
    } else {
      // MLP: down(act(gate x) * up x) (SwiGLU, GeGLU), or down(act(up x)) without a gate (OPT fc1 -> fc2)
      L.up!.forward(xb, M, hb2);
      if (L.bUp) addBias(hb2, L.bUp, M);
      let h = hb2;
      if (L.gate) { L.gate.forward(xb, M, hb); glu(fam.act, hb, hb2, M * hiddenDim); h = hb; }
      else activateAll(fam.act, hb2, M * hiddenDim);
      hooks?.linearInput?.(l, "down", h, M);
      L.down!.forward(h, M, xb2);
      if (L.bDown) addBias(xb2, L.bDown, M);
    }
    // Gemma: MLP output normed before the residual; residual
    if (L.postFfnNorm) rmsnorm(xb2, xb2, L.postFfnNorm, M, dim, eps);
    addInto(x, xb2, M * dim);
  }
  // final norm
  norm(fam.norm, x, x, model.finalNorm, model.finalNormBias, M, dim, eps);
  return x;
}

/** x[m] = embed[token m] (x embedScale) (+ positions[pos0 + m + offset]). */
export function embedTokens(model: LlamaModel, tokens: Int32Array, pos0: number, x: Float32Array): void {
  const c = model.config, { dim } = c, scale = c.family.embedScale;
  for (let m = 0; m < tokens.length; m++) {
    const t = tokens[m]!;
    if (!(t >= 0 && t < c.vocabSize)) throw new RangeError(`forward: token ${t} outside the vocabulary (${c.vocabSize})`);
    if (model.embedFromHead) model.lmHead.row!(t, x.subarray(m * dim, (m + 1) * dim));
    else x.set(model.embed.subarray(t * dim, (t + 1) * dim), m * dim);
    if (scale !== 1) for (let i = m * dim; i < (m + 1) * dim; i++) x[i] = x[i]! * scale;
    if (model.positions) {
      const p = pos0 + m + c.family.positionOffset;
      if ((p + 1) * dim > model.positions.length) throw new RangeError(`forward: position ${pos0 + m} past the learned positions`);
      for (let i = 0; i < dim; i++) x[m * dim + i] = x[m * dim + i]! + model.positions[p * dim + i]!;
    }
  }
}

/**
 * out[M, nHeads * headDim] = softmax(scale q k^T) v per head, causally: row m sees cache positions
 * 0..pos0 + m (with `window` > 0 only the last `window` of them, itself included: sliding window);
 * query head h reads KV head floor(h / (nHeads / nKvHeads)) (GQA); `cap` soft-caps the scores (Gemma 2).
 */
export function attention(
  out: Float32Array, q: Float32Array, keys: Float32Array, vals: Float32Array, att: Float32Array,
  M: number, pos0: number, nHeads: number, nKvHeads: number, headDim: number,
  window = 0, scale = 1 / Math.sqrt(headDim), cap: number | null = null,
): void {
  const dim = nHeads * headDim, kvDim = nKvHeads * headDim, group = nHeads / nKvHeads;
  const acc = new Float64Array(headDim);
  for (let m = 0; m < M; m++) {
    const last = pos0 + m, first = window > 0 ? Math.max(0, last - window + 1) : 0;
    for (let h = 0; h < nHeads; h++) {
      const qo = m * dim + h * headDim, kvh = ((h / group) | 0) * headDim;
      // scores q . k_t, max-shifted softmax
      let max = -Infinity;
      for (let t = first, ko = kvh + first * kvDim; t <= last; t++, ko += kvDim) {
        let s = 0;
        for (let i = 0; i < headDim; i++) s += q[qo + i]! * keys[ko + i]!;
        s *= scale;
        if (cap !== null) s = cap * Math.tanh(s / cap);
        att[t] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let t = first; t <= last; t++) { const e = Math.exp(att[t]! - max); att[t] = e; sum += e; }
      // weighted sum of the values, position by position (contiguous reads)
      acc.fill(0);
      for (let t = first, vo = kvh + first * kvDim; t <= last; t++, vo += kvDim) {
        const a = att[t]!;
        for (let i = 0; i < headDim; i++) acc[i] += a * vals[vo + i]!;
      }
      const inv = 1 / sum;
      for (let i = 0; i < headDim; i++) out[qo + i] = acc[i]! * inv;
    }
  }
}

