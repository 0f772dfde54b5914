/**
 * The Llama forward pass, llama2.c run.c style: one top-to-bottom function, every matmul a Linear
 * (so FP32, pseudo-quantized and integer paths share it), M tokens at a time (M = 1 decodes, a
 * whole window prefills) at positions pos0 .. pos0 + M - 1, with causal attention over the cache.
 */
import type { LlamaConfig } from "./config.ts";
import type { KvCache } from "./kv-cache.ts";
import { attentionKernel } from "../kernels/attention-kernel.ts";
import type { Linear } from "./linear.ts";
import { applyRope, ropeTables, type RopeTables } from "./rope.ts";

export interface LlamaLayer {
  attnNorm: Float32Array; // (dim)
  q: Linear; k: Linear; v: Linear; o: Linear;
  ffnNorm: Float32Array; // (dim)
  gate: Linear; up: Linear; down: Linear;
}

export interface LlamaModel {
  config: LlamaConfig;
  embed: Float32Array; // (vocab, dim)
  layers: LlamaLayer[];
  finalNorm: Float32Array; // (dim)
  lmHead: Linear; // (vocab, dim), never quantized
  rope: RopeTables;
  /** "wasm" (kernels-wasm SIMD, the default) or "js" (the float64 scalar reference) */
  attention?: "wasm" | "js";
}

/** Where a linear's input comes from: "attn" (q, k, v), "o", "ffn" (gate, up), "down". */
export type LinearSite = "attn" | "o" | "ffn" | "down";

/** Observers for calibration: the input of each linear site and the cached K/V. */
export interface ForwardHooks {
  linearInput?(layer: number, site: LinearSite, x: Float32Array, M: number): void;
  kv?(layer: number, k: Float32Array, v: Float32Array, M: number): void;
}

/** Builds a LlamaModel's RoPE tables (positions up to contextLength). */
export function withRope(c: LlamaConfig): RopeTables {
  return ropeTables(c.contextLength, c.headDim, c.ropeTheta);
}

/**
 * Runs tokens[0..M) at positions pos0.. through the model, appending their K/V to `cache`.
 * Returns the final-normed hidden states [M, dim] (logits come from model.lmHead on them).
 */
export function forward(model: LlamaModel, cache: KvCache, tokens: Int32Array, pos0: number, hooks?: ForwardHooks): Float32Array {
  const c = model.config;
  const { dim, hiddenDim, nHeads, nKvHeads, headDim } = c;
  const M = tokens.length, T = pos0 + M, kvDim = nKvHeads * headDim;
  const x = new Float32Array(M * dim); // residual stream
  const xb = new Float32Array(M * dim), xb2 = new Float32Array(M * dim);
  const q = new Float32Array(M * dim), k = new Float32Array(M * kvDim), v = new Float32Array(M * kvDim);
  const keys = new Float32Array(T * kvDim), vals = new Float32Array(T * kvDim);
  const hb = new Float32Array(M * hiddenDim), hb2 = new Float32Array(M * hiddenDim);
  const att = new Float32Array(T);

  // token embeddings
  for (let m = 0; m < M; m++) {
    const t = tokens[m]!;
    if (!(t >= 0 && t < c.vocabSize)) throw new RangeError(`forward: token ${t} outside the vocabulary (${c.vocabSize})`);
    x.set(model.embed.subarray(t * dim, (t + 1) * dim), m * dim);
  }
  for (let l = 0; l < model.layers.length; l++) {
    const L = model.layers[l]!;
    // attention rmsnorm
    rmsnorm(xb, x, L.attnNorm, M, dim, c.normEps);
    hooks?.linearInput?.(l, "attn", xb, M);
    // qkv matmuls for these positions
    L.q.forward(xb, M, q);
    L.k.forward(xb, M, k);
    L.v.forward(xb, M, v);
    // RoPE (adjacent pairs; the loader normalised Hugging Face rows)
    applyRope(model.rope, q, M, nHeads, headDim, pos0);
    applyRope(model.rope, k, M, nKvHeads, headDim, pos0);
    // K/V into the cache (quantized there when the cache is), read back as the attention sees them
    hooks?.kv?.(l, k, v, M);
    cache.write(l, pos0, M, k, v);
    cache.read(l, 0, T, keys);
    cache.read(l, 1, T, vals);
    // multi-head attention, causal: token m attends to positions 0..pos0 + m
    if (model.attention === "js") attention(xb, q, keys, vals, att, M, pos0, nHeads, nKvHeads, headDim);
    else attentionKernel().run(xb, q, keys, vals, M, pos0, nHeads, nKvHeads, headDim);
    hooks?.linearInput?.(l, "o", xb, M);
    // output projection and residual
    L.o.forward(xb, M, xb2);
    for (let i = 0; i < M * dim; i++) x[i] = x[i]! + xb2[i]!;
    // ffn rmsnorm
    rmsnorm(xb, x, L.ffnNorm, M, dim, c.normEps);
    hooks?.linearInput?.(l, "ffn", xb, M);
    // SwiGLU ffn: down(silu(gate x) * up x)
    L.gate.forward(xb, M, hb);
    L.up.forward(xb, M, hb2);
    for (let i = 0; i < M * hiddenDim; i++) {
      const g = hb[i]!;
      hb[i] = (g / (1 + Math.exp(-g))) * hb2[i]!;
    }
    hooks?.linearInput?.(l, "down", hb, M);
    L.down.forward(hb, M, xb);
    // residual
    for (let i = 0; i < M * dim; i++) x[i] = x[i]! + xb[i]!;
  }
  // final rmsnorm
  rmsnorm(x, x, model.finalNorm, M, dim, c.normEps);
  return x;
}

/**
 * out[M, nHeads * headDim] = softmax(q k^T / sqrt(headDim)) v per head, causally: row m sees cache
 * positions 0..pos0 + m; query head h reads KV head floor(h / (nHeads / nKvHeads)) (GQA).
 */
export function attention(
  out: Float32Array, q: Float32Array, keys: Float32Array, vals: Float32Array, att: Float32Array,
  M: number, pos0: number, nHeads: number, nKvHeads: number, headDim: number,
): void {
  const dim = nHeads * headDim, kvDim = nKvHeads * headDim, group = nHeads / nKvHeads;
  const scale = 1 / Math.sqrt(headDim);
  const acc = new Float64Array(headDim);
  for (let m = 0; m < M; m++) {
    const last = pos0 + m;
    for (let h = 0; h < nHeads; h++) {
      const qo = m * dim + h * headDim, kvh = ((h / group) | 0) * headDim;
      // scores q . k_t, max-shifted softmax
      let max = -Infinity;
      for (let t = 0, ko = kvh; t <= last; t++, ko += kvDim) {
        let s = 0;
        for (let i = 0; i < headDim; i++) s += q[qo + i]! * keys[ko + i]!;
        s *= scale;
        att[t] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let t = 0; t <= last; t++) { const e = Math.exp(att[t]! - max); att[t] = e; sum += e; }
      // weighted sum of the values, position by position (contiguous reads)
      acc.fill(0);
      for (let t = 0, vo = kvh; t <= last; t++, vo += kvDim) {
        const a = att[t]!;
        for (let i = 0; i < headDim; i++) acc[i] += a * vals[vo + i]!;
      }
      const inv = 1 / sum;
      for (let i = 0; i < headDim; i++) out[qo + i] = acc[i]! * inv;
    }
  }
}

/** out[m] = w * x[m] / sqrt(mean(x[m]^2) + eps), row by row (float64 sum of squares). */
export function rmsnorm(out: Float32Array, x: Float32Array, w: Float32Array, M: number, dim: number, eps: number): void {
  for (let m = 0; m < M; m++) {
    const o = m * dim;
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += x[o + i]! * x[o + i]!;
    const r = 1 / Math.sqrt(ss / dim + eps);
    for (let i = 0; i < dim; i++) out[o + i] = w[i]! * (r * x[o + i]!);
  }
}
