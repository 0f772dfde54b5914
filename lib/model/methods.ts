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
import { layerLinears } from "./linears.ts";
import { foldAwq, foldSmoothquant } from "./fold.ts";
import type { LayerWeights, LlamaWeights } from "./weights.ts";

/** Thrown when a method needs calibration statistics that were not collected. */
export class CalibrationError extends Error {
  override name = "CalibrationError";
}

/** Copies of the arrays a method may rescale (experts included), so the FP32 weights stay intact. */
export function cloneLayer(L: LayerWeights): LayerWeights {
  const out = Object.fromEntries(Object.entries(L).map(([k, v]) => [k, k === "experts" ? v : (v as Float32Array).slice()])) as unknown as LayerWeights;
  if (L.experts) out.experts = L.experts.map((X) => ({ gate: X.gate.slice(), up: X.up.slice(), down: X.down.slice() }));
  return out;
}

/** Weights after folding and the quantized matrices of every linear (lm_head, router, norms and embeddings stay float), for `spec`. */
export function prepareWeights(c: LlamaConfig, fp: LlamaWeights, spec: QuantSpec, cal?: Calibration): { weights: LlamaWeights; matrices: Map<string, QuantizedMatrix>; notes: string[] } {
  const matrices = new Map<string, QuantizedMatrix>();
  const notes: string[] = [];
  const w = spec.weight;
  if (!w && spec.method === "rtn") return { weights: fp, matrices, notes };
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
    if (spec.method === "awq" && opts) notes.push(...foldAwq(c, L, (s) => cal!.sites.get(siteKey(l, s)), opts).map((n) => `layer ${l} ${n}`));
    if (!opts) return;
    for (const r of layerLinears(c, L, l)) {
      if (spec.method === "gptq") {
        // an expert that no calibration token reached has no Hessian: plain RTN (said in the result's name)
        const st = cal!.sites.get(siteKey(l, r.site));
        if (!st && r.expert !== undefined) {
          notes.push(`layer ${l} ${r.name}: RTN instead of GPTQ (no calibration token was routed to this expert)`);
          matrices.set(r.name, quantizeRtn(r.w, r.rows, r.cols, opts));
          continue;
        }
        const h = site(l, r.site).hessian;
        if (!h) throw new CalibrationError(`spec ${spec.text}: no Hessian for layer ${l} ${r.site} (input wider than the limit)`);
        matrices.set(r.name, quantizeGptq(r.w, r.rows, r.cols, h, opts).matrix);
      } else {
        matrices.set(r.name, quantizeRtn(r.w, r.rows, r.cols, opts));
      }
    }
  });
  return { weights: { ...fp, layers }, matrices, notes };
}
