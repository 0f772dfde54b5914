/**
 * Folding per-input-channel scales into the operator before a linear, so the FP32 function is
 * unchanged and only what is rounded changes:
 *   SmoothQuant (Xiao et al. 2023): X diag(s)^-1 . diag(s) W^T, 1/s into the RMSNorm weight, for
 *   the q/k/v input (input_layernorm) and the gate/up input (post_attention_layernorm).
 *   AWQ (llm-awq auto_scale.py apply_scale): the same two sites, plus o_proj (1/s into v_proj's
 *   rows; only without grouped-query attention, as llm-awq) and down_proj (1/s into up_proj's rows),
 *   then llm-awq's auto_clip on every linear but q/k, searched on the folded weights.
 * Families: a LayerNorm's bias takes 1/s with its weight (OPT, as llm-awq's scale_ln_fcs); Gemma's
 * (1 + w) norms are folded as stored in memory (already 1 + w); Phi-3's fused qkv / gate_up are
 * split at load, so their parts fold like Llama's; MoE: every expert's gate/up share the ffn norm's
 * scale (the router's columns take it too, keeping routing exact), each expert's down its own.
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

/** The linears fed by the ffn norm (gate/up, OPT's fc1, or every expert's gate/up) and their row count. */
function ffnInputs(c: LlamaConfig, L: LayerWeights): Float32Array[] {
  if (L.experts) return L.experts.flatMap((X) => [X.gate, X.up]);
  return L.gate ? [L.gate, L.up!] : [L.up!];
}

/** 1/s into a norm: its weight and, for a LayerNorm, its bias ((LN(x) w + b) / s). */
function divideNorm(w: Float32Array, b: Float32Array | undefined, s: Float32Array): void {
  divideRows(w, 1, s);
  if (b) divideRows(b, 1, s);
}

/** Folds SmoothQuant scales of the two norm-fed sites of one layer into L (in place); the MoE router's columns take s too. */
export function foldSmoothquant(c: LlamaConfig, L: LayerWeights, attn: SiteStats, ffn: SiteStats, alpha = SMOOTHQUANT_ALPHA): void {
  const kv = c.nKvHeads * c.headDim, qDim = c.nHeads * c.headDim;
  const qkv = [lin(L.wq, qDim, c.dim), lin(L.wk, kv, c.dim), lin(L.wv, kv, c.dim)];
  const s1 = smoothquantScales(attn.absmax, qkv, alpha);
  divideNorm(L.attnNorm, L.attnNormBias, s1);
  for (const w of [L.wq, L.wk, L.wv]) scaleCols(w, c.dim, s1);
  const ins = ffnInputs(c, L);
  const s2 = smoothquantScales(ffn.absmax, ins.map((w) => lin(w, w.length / c.dim, c.dim)), alpha);
  divideNorm(L.ffnNorm, L.ffnNormBias, s2);
  for (const w of ins) scaleCols(w, c.dim, s2);
  if (L.router) scaleCols(L.router, c.dim, s2);
}

/**
 * Searches and folds AWQ scales for every site of one layer, then clips, into L (in place).
 * Returns where a fold is not possible (o_proj under grouped-query attention; a MoE expert no
 * calibration token reached), as llm-awq skips them.
 */
export function foldAwq(c: LlamaConfig, L: LayerWeights, site: (s: LinearSite) => SiteStats | undefined, opts: RtnOptions & { clip?: boolean }): string[] {
  const kv = c.nKvHeads * c.headDim, qDim = c.nHeads * c.headDim, H = c.hiddenDim;
  const notes: string[] = [];
  const scaled = new Map<LinearSite, Float32Array>();
  const need = (s: LinearSite) => { const st = site(s); if (!st) throw new RangeError(`AWQ: no calibration statistics for ${s}`); return st; };
  const search = (s: LinearSite, ws: LinearWeight[]) => {
    const r = searchAwqScales(ws, need(s).sample, { ...opts, clip: false });
    scaled.set(s, r.scales);
    return r.scales;
  };
  // q/k/v: 1/s into the attention norm (weight and LayerNorm bias)
  const s1 = search("attn", [lin(L.wq, qDim, c.dim), lin(L.wk, kv, c.dim), lin(L.wv, kv, c.dim)]);
  divideNorm(L.attnNorm, L.attnNormBias, s1);
  for (const w of [L.wq, L.wk, L.wv]) scaleCols(w, c.dim, s1);
  // o: 1/s into v_proj rows (and bias), when each o input channel is one v output row (no GQA)
  if (c.nKvHeads === c.nHeads) {
    const s2 = search("o", [lin(L.wo, c.dim, qDim)]);
    divideRows(L.wv, c.dim, s2);
    if (L.bv) divideRows(L.bv, 1, s2);
    scaleCols(L.wo, qDim, s2);
  } else notes.push("o_proj: not scaled (grouped-query attention: v_proj rows are shared by several heads)");
  // gate/up (fc1; every expert, with the router's columns): 1/s into the ffn norm
  const ins = ffnInputs(c, L);
  const s3 = search("ffn", ins.map((w) => lin(w, H, c.dim)));
  divideNorm(L.ffnNorm, L.ffnNormBias, s3);
  for (const w of ins) scaleCols(w, c.dim, s3);
  if (L.router) scaleCols(L.router, c.dim, s3);
  // down: 1/s into up_proj rows (OPT: fc1 rows and bias, as relu(x / s) = relu(x) / s), per expert for MoE
  const downs: Array<[Float32Array, Float32Array, Float32Array | undefined, LinearSite]> = L.experts
    ? L.experts.map((X, e) => [X.down, X.up, undefined, `down.${e}` as LinearSite])
    : [[L.down!, L.up!, L.bUp, "down"]];
  for (const [down, up, bUp, s] of downs) {
    if (!site(s)) { notes.push(`${s}: not scaled (no calibration token was routed to this expert)`); continue; }
    const s4 = search(s, [lin(down, c.dim, H)]);
    divideRows(up, c.dim, s4);
    if (bUp) divideRows(bUp, 1, s4);
    scaleCols(down, H, s4);
  }
  if (opts.clip === false) return notes;
  // auto_clip on the folded weights (not q/k, as llm-awq), inputs scaled by 1/s as the folded model sees them
  const clipOne = (w: Float32Array, rows: number, cols: number, s: LinearSite) => {
    const st = site(s);
    if (!st) return;
    const sc = scaled.get(s);
    const x = sc ? Float32Array.from(st.sample, (v, i) => Math.fround(v / sc[i % cols]!)) : st.sample;
    applyClip(w, rows, cols, opts.groupSize, searchAwqClip(w, rows, cols, x, opts));
  };
  clipOne(L.wv, kv, c.dim, "attn");
  clipOne(L.wo, c.dim, qDim, "o");
  if (L.experts) {
    L.experts.forEach((X, e) => {
      // the expert's own tokens, scaled as the folded ffn norm output
      const st = site(`ffn.${e}`), sc = scaled.get("ffn")!;
      if (st) for (const w of [X.gate, X.up]) applyClip(w, H, c.dim, opts.groupSize, searchAwqClip(w, H, c.dim, Float32Array.from(st.sample, (v, i) => Math.fround(v / sc[i % c.dim]!)), opts));
      clipOne(X.down, c.dim, H, `down.${e}`);
    });
    return notes;
  }
  for (const w of ffnInputs(c, L)) clipOne(w, H, c.dim, "ffn");
  clipOne(L.down!, c.dim, H, "down");
  return notes;
}
