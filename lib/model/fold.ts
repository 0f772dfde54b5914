/**
 * Folding per-input-channel scales into the operator before a linear, so the FP32 function is
 * unchanged and only what is rounded changes:
 *   SmoothQuant (Xiao et al. 2023): X diag(s)^-1 . diag(s) W^T, 1/s into the RMSNorm weight, for
 *   the q/k/v input (input_layernorm) and the gate/up input (post_attention_layernorm).
 *   AWQ (llm-awq auto_scale.py apply_scale): the same two sites, plus o_proj (1/s into v_proj's
 *   rows; only without grouped-query attention, as llm-awq) and down_proj (1/s into up_proj's rows),
 *   then llm-awq's auto_clip on every linear but q/k, searched on the folded weights.
 */
import { applyClip, searchAwqClip } from "../quant/awq-clip.ts";
import { searchAwqScales, type LinearWeight } from "../quant/awq.ts";
import type { RtnOptions } from "../quant/rtn.ts";
import { smoothquantScales } from "../quant/smoothquant.ts";
import type { SiteStats } from "./calibrate.ts";
import type { LlamaConfig } from "./config.ts";
import type { LinearSite } from "./forward.ts";
import type { LayerWeights } from "./weights.ts";

/** SmoothQuant migration strength (the paper's default for Llama-family models is 0.5-0.85; 0.5 as Qllm-Eval) */
export const SMOOTHQUANT_ALPHA = 0.5;

const lin = (w: Float32Array, rows: number, cols: number): LinearWeight => ({ w, rows, cols });

/** x[:, j] *= s[j] for W [rows, cols] (in place). */
function scaleCols(w: Float32Array, cols: number, s: Float32Array): void {
  for (let i = 0; i < w.length; i++) w[i] = Math.fround(w[i]! * s[i % cols]!);
}

/** Row j (and norm weight j) divided by s[j] (in place). */
function divideRows(w: Float32Array, cols: number, s: Float32Array): void {
  for (let i = 0; i < w.length; i++) w[i] = Math.fround(w[i]! / s[Math.floor(i / cols)]!);
}

/** Folds SmoothQuant scales of the two norm-fed sites of one layer into L (in place). */
export function foldSmoothquant(c: LlamaConfig, L: LayerWeights, attn: SiteStats, ffn: SiteStats, alpha = SMOOTHQUANT_ALPHA): void {
  const kv = c.nKvHeads * c.headDim;
  const qkv = [lin(L.wq, c.dim, c.dim), lin(L.wk, kv, c.dim), lin(L.wv, kv, c.dim)];
  const s1 = smoothquantScales(attn.absmax, qkv, alpha);
  divideRows(L.attnNorm, 1, s1);
  for (const w of [L.wq, L.wk, L.wv]) scaleCols(w, c.dim, s1);
  const s2 = smoothquantScales(ffn.absmax, [lin(L.gate, c.hiddenDim, c.dim), lin(L.up, c.hiddenDim, c.dim)], alpha);
  divideRows(L.ffnNorm, 1, s2);
  for (const w of [L.gate, L.up]) scaleCols(w, c.dim, s2);
}

/** Searches and folds AWQ scales for every site of one layer, then clips, into L (in place). */
export function foldAwq(c: LlamaConfig, L: LayerWeights, site: (s: LinearSite) => SiteStats, opts: RtnOptions & { clip?: boolean }): void {
  const kv = c.nKvHeads * c.headDim;
  const scaled = new Map<LinearSite, Float32Array>();
  const search = (s: LinearSite, ws: LinearWeight[]) => {
    const st = site(s);
    const r = searchAwqScales(ws, st.sample, { ...opts, clip: false });
    scaled.set(s, r.scales);
    return r.scales;
  };
  // q/k/v: 1/s into input_layernorm
  const s1 = search("attn", [lin(L.wq, c.dim, c.dim), lin(L.wk, kv, c.dim), lin(L.wv, kv, c.dim)]);
  divideRows(L.attnNorm, 1, s1);
  for (const w of [L.wq, L.wk, L.wv]) scaleCols(w, c.dim, s1);
  // o: 1/s into v_proj rows, when each o input channel is one v output row (no GQA)
  if (c.nKvHeads === c.nHeads) {
    const s2 = search("o", [lin(L.wo, c.dim, c.dim)]);
    divideRows(L.wv, c.dim, s2);
    scaleCols(L.wo, c.dim, s2);
  }
  // gate/up: 1/s into post_attention_layernorm
  const s3 = search("ffn", [lin(L.gate, c.hiddenDim, c.dim), lin(L.up, c.hiddenDim, c.dim)]);
  divideRows(L.ffnNorm, 1, s3);
  for (const w of [L.gate, L.up]) scaleCols(w, c.dim, s3);
  // down: 1/s into up_proj rows
  const s4 = search("down", [lin(L.down, c.dim, c.hiddenDim)]);
  divideRows(L.up, c.dim, s4);
  scaleCols(L.down, c.hiddenDim, s4);
  if (opts.clip === false) return;
  // auto_clip on the folded weights (not q/k, as llm-awq), inputs scaled by 1/s as the folded model sees them
  const clipOne = (w: Float32Array, rows: number, cols: number, s: LinearSite) => {
    const st = site(s), sc = scaled.get(s);
    const x = sc ? Float32Array.from(st.sample, (v, i) => Math.fround(v / sc[i % cols]!)) : st.sample;
    applyClip(w, rows, cols, opts.groupSize, searchAwqClip(w, rows, cols, x, opts));
  };
  clipOne(L.wv, kv, c.dim, "attn");
  clipOne(L.wo, c.dim, c.dim, "o");
  clipOne(L.gate, c.hiddenDim, c.dim, "ffn");
  clipOne(L.up, c.hiddenDim, c.dim, "ffn");
  clipOne(L.down, c.dim, c.hiddenDim, "down");
}
