/**
 * Method-specific weight preparation for one spec: scales folded into the preceding operator
 * (SmoothQuant: into the RMSNorm; AWQ: into the RMSNorm, or into v_proj / up_proj rows), then the
 * rounding (RTN, or GPTQ with the site's Hessian). Folding keeps the FP32 function unchanged; only
 * what gets rounded changes. lm_head is never quantized.
 */
import { quantizeGptq } from "../quant/gptq.ts";
import { quantizeRtn } from "../quant/rtn.ts";
import type { QuantSpec } from "../quant/spec.ts";
import type { QuantizedMatrix } from "../quant/types.ts";
import { siteKey, type Calibration, type SiteStats } from "./calibrate.ts";
import type { LlamaConfig } from "./config.ts";
import type { LinearSite } from "./forward.ts";
import { linearName } from "./llama.ts";
import { foldAwq, foldSmoothquant } from "./fold.ts";
import type { LayerWeights, LlamaWeights } from "./weights.ts";

/** The linears of a layer: [kind, weight key, site of their input]. */
export const LINEARS: ReadonlyArray<[string, "wq" | "wk" | "wv" | "wo" | "gate" | "up" | "down", LinearSite]> = [
  ["q", "wq", "attn"], ["k", "wk", "attn"], ["v", "wv", "attn"], ["o", "wo", "o"],
  ["gate", "gate", "ffn"], ["up", "up", "ffn"], ["down", "down", "down"],
];

/** Thrown when a method needs calibration statistics that were not collected. */
export class CalibrationError extends Error {
  override name = "CalibrationError";
}

/** Copies of the arrays a method may rescale, so the FP32 weights stay intact. */
function cloneLayer(L: LayerWeights): LayerWeights {
  return Object.fromEntries(Object.entries(L).map(([k, v]) => [k, v.slice()])) as unknown as LayerWeights;
}

/** Weights after folding and the quantized matrices of every linear, for `spec`. */
export function prepareWeights(c: LlamaConfig, fp: LlamaWeights, spec: QuantSpec, cal?: Calibration): { weights: LlamaWeights; matrices: Map<string, QuantizedMatrix> } {
  const matrices = new Map<string, QuantizedMatrix>();
  const w = spec.weight;
  if (!w && spec.method === "rtn") return { weights: fp, matrices };
  const needsCal = spec.method !== "rtn";
  if (needsCal && !cal) throw new CalibrationError(`spec ${spec.text}: ${spec.method} needs calibration data (--calib)`);
  const site = (l: number, s: LinearSite): SiteStats => {
    const st = cal!.sites.get(siteKey(l, s));
    if (!st) throw new CalibrationError(`spec ${spec.text}: no calibration statistics for layer ${l} ${s}`);
    return st;
  };
  const layers = needsCal ? fp.layers.map(cloneLayer) : fp.layers;
  const opts = w ? { bits: w.bits, groupSize: w.groupSize, sym: w.sym } : null;
  layers.forEach((L, l) => {
    if (spec.method === "smoothquant") foldSmoothquant(c, L, site(l, "attn"), site(l, "ffn"));
    if (spec.method === "awq" && opts) foldAwq(c, L, (s) => site(l, s), opts);
    if (!opts) return;
    for (const [kind, key, s] of LINEARS) {
      const W = L[key];
      const rows = kind === "down" || kind === "o" ? c.dim : kind === "gate" || kind === "up" ? c.hiddenDim : kind === "q" ? c.dim : c.nKvHeads * c.headDim;
      const cols = W.length / rows;
      if (spec.method === "gptq") {
        const h = site(l, s).hessian;
        if (!h) throw new CalibrationError(`spec ${spec.text}: no Hessian for layer ${l} ${s} (input wider than the limit)`);
        matrices.set(linearName(l, kind), quantizeGptq(W, rows, cols, h, opts).matrix);
      } else {
        matrices.set(linearName(l, kind), quantizeRtn(W, rows, cols, opts));
      }
    }
  });
  return { weights: { ...fp, layers }, matrices };
}
