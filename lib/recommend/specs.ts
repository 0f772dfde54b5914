/**
 * Candidate specs and their categories (the `categorize` step). The order of QUANT_ORDER is the
 * issue's list, highest precision first within each target; it orders every output list.
 */
import type { Target } from "./types.ts";

/** Every base candidate, in output order. */
export const QUANT_ORDER = ["W8", "W4", "W3", "W2", "W8A8", "W4A8", "W4A4", "KV8", "KV4", "KV3", "KV2", "W8KV8", "W4KV8", "W8KV4", "W4KV4"] as const;

/** Calibration methods whose variants are candidates when the evidence or the user's runs speak of them. */
export const METHOD_SUFFIXES = ["-awq", "-gptq", "-smoothquant"] as const;

/** A spec taken apart: bits per part (16 = not quantized), method, and what it quantizes. */
export interface SpecParts { spec: string; base: string; w: number; a: number; kv: number; method: string; kind: "weights" | "weights+activations" | "kv" | "weights+kv" }

const SPEC_RE = /^(?:W(\d+))?(?:A(\d+))?(?:KV(\d+))?((?:-g-?\d+)?)((?:-sym)?)(-rtn|-awq|-gptq|-smoothquant)?$/;

/** Parses a DESIGN.md spec (`W4`, `W8A8`, `KV4`, `W4KV8`, `W3-g-1-awq`); null for FP16/FP32 or anything else. */
export function categorize(spec: string): SpecParts | null {
  const m = SPEC_RE.exec(spec);
  if (!m || (!m[1] && !m[3]) || (m[2] && !m[1])) return null;
  const w = m[1] ? Number(m[1]) : 16, a = m[2] ? Number(m[2]) : 16, kv = m[3] ? Number(m[3]) : 16;
  const kind = a < 16 ? "weights+activations" : w < 16 && kv < 16 ? "weights+kv" : w < 16 ? "weights" : "kv";
  const base = `${m[1] ? `W${w}` : ""}${m[2] ? `A${a}` : ""}${m[3] ? `KV${kv}` : ""}`;
  return { spec, base, w, a, kv, method: (m[6] ?? "-rtn").slice(1), kind };
}

/** True when a spec's category is part of the requested target ("all" takes every spec). */
export function inTarget(parts: SpecParts, target: Target): boolean {
  return target === "all" || parts.kind === target;
}

/** The spec as the evidence spells it: the default group size g128 and -rtn dropped (`W4-g128-rtn` = `W4`). */
export function canonicalSpec(spec: string): string {
  return spec.replace(/-g128(?=-|$)/, "").replace(/-rtn$/, "");
}

/** Sorts specs by QUANT_ORDER, calibrated variants right after their base spec. */
export function bySpecOrder(a: string, b: string): number {
  const rank = (s: string) => {
    const p = categorize(s);
    const i = QUANT_ORDER.indexOf((p?.base ?? s) as (typeof QUANT_ORDER)[number]);
    return (i < 0 ? QUANT_ORDER.length : i) * 10 + (p && p.spec !== p.base ? 1 : 0);
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}
