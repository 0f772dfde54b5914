/**
 * Predicted sensitivity per spec, from statistics quantlens already computes, to set beside the
 * published evidence and the user's measured KL. Formula (higher = safer, in dB):
 * - weights W{b}: the worst-layer SQNR, min over the quantized linear weights (q/k/v/o/gate/up/down,
 *   lm_head excluded as DESIGN.md quantizes it not) of SQNR = 10 log10(||w||^2 / ||w - q(w)||^2)
 *   under RTN g128 (lib/quant/tensor-error.ts, the same numbers as `stats --spec`'s quant_error).
 *   The worst layer bounds the damage: one broken layer breaks the model whatever the mean.
 * - activations A{b} / KV cache KV{b}, from a calibration's site statistics (absmax/std): a uniform
 *   b-bit quantizer over a range of 2 absmax has noise step^2/12 with step = 2 absmax / (2^b - 1), so
 *   SQNR = 10 log10(3) + 20 log10(2^b - 1) - 20 log10(absmax / std); again the worst site counts.
 * - a combined spec scores the minimum of its parts.
 */
import type { TensorSource } from "../formats/types.ts";
import { isQuantizedLinear } from "../quant/whatif.ts";
import { tensorQuantErrors } from "../quant/tensor-error.ts";
import { parseSpec } from "../quant/spec.ts";
import { categorize } from "./specs.ts";
import { minOf } from "../tensor/extent.ts";

/** One spec's predicted score: worst and mean SQNR (dB) over its tensors or sites, and the worst one's name. */
export interface PredictedScore { spec: string; worst_sqnr_db: number; mean_sqnr_db: number; worst: string; tensors: number }

/** Closed-form SQNR (dB) of b-bit uniform quantization of values with the given absmax / std ratio. */
export function rangeSqnrDb(bits: number, absmaxOverStd: number): number {
  return 10 * Math.log10(3) + 20 * Math.log10(2 ** bits - 1) - 20 * Math.log10(absmaxOverStd);
}

/** Worst-layer weight SQNR of every W{b} (b in `bits`) over the quantized linear weights of `source`, read once. */
export async function predictWeightSpecs(source: TensorSource, bits: number[]): Promise<PredictedScore[]> {
  const specs = bits.map((b) => parseSpec(`W${b}`));
  const linears = source.tensors.filter(isQuantizedLinear);
  const per = specs.map(() => [] as Array<[string, number]>);
  for (const t of linears) {
    const errs = await tensorQuantErrors(source, t, specs);
    specs.forEach((s, k) => { const e = errs.get(s.text)?.sqnrDb; if (e !== null && e !== undefined) per[k]!.push([t.name, e]); });
  }
  return specs.map((s, k) => summarizeScores(s.text, per[k]!));
}

/** A site's statistics as the calibration stores them (tensor_stats of an eval run). */
export interface SiteStats { name: string; absmax_over_std: number | null }

/** Predicted A{b} / KV{b} scores from activation (`*.input`) and KV (`*_cache`) site statistics. */
export function predictSiteSpecs(sites: SiteStats[], kind: "act" | "kv", bits: number[]): PredictedScore[] {
  const chosen = sites.filter((s) => s.absmax_over_std !== null && (kind === "act" ? s.name.endsWith(".input") : s.name.endsWith("_cache")));
  if (chosen.length === 0) return [];
  return bits.map((b) => summarizeScores(`${kind === "act" ? "A" : "KV"}${b}`, chosen.map((s) => [s.name, rangeSqnrDb(b, s.absmax_over_std!)])));
}

/** Scores of the candidate `specs` from part scores (W{b}, A{b}, KV{b}); a spec with a part not scored is left out. */
export function combineScores(specs: string[], parts: PredictedScore[]): PredictedScore[] {
  const out: PredictedScore[] = [];
  for (const spec of specs) {
    const p = categorize(spec);
    if (!p || p.method !== "rtn") continue;
    const need = [p.w < 16 ? `W${p.w}` : null, p.a < 16 ? `A${p.a}` : null, p.kv < 16 ? `KV${p.kv}` : null].filter((x): x is string => x !== null);
    const got = need.map((n) => parts.find((x) => x.spec === n));
    if (got.some((g) => !g)) continue;
    const worst = got.reduce((a, b) => (b!.worst_sqnr_db < a!.worst_sqnr_db ? b : a))!;
    out.push({ ...worst, spec, mean_sqnr_db: minOf(got.map((g) => g!.mean_sqnr_db)) });
  }
  return out;
}

function summarizeScores(spec: string, xs: Array<[string, number]>): PredictedScore {
  const worst = xs.reduce((a, b) => (b[1] < a[1] ? b : a), xs[0] ?? ["", NaN]);
  const mean = xs.reduce((s, x) => s + x[1], 0) / xs.length;
  return { spec, worst_sqnr_db: round(worst[1]), mean_sqnr_db: round(mean), worst: worst[0], tensors: xs.length };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Predicted scores of the base candidates: W{8,4,3,2} from the weights, A{8,4} and KV{8,4,3,2} from calibration sites, combined. */
export async function predictSpecs(source: TensorSource, sites: SiteStats[], specs: readonly string[]): Promise<PredictedScore[]> {
  const w = await predictWeightSpecs(source, [8, 4, 3, 2]);
  return combineScores([...specs], [...w, ...predictSiteSpecs(sites, "act", [8, 4]), ...predictSiteSpecs(sites, "kv", [8, 4, 3, 2])]);
}
