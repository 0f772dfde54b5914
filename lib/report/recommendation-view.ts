/**
 * The parts of lib/recommend's Recommendation (issue 9) that a report shows. Structurally a subset
 * of the engine's own `Recommendation`, so the engine's result is passed as it is.
 */

/** A rule that spoke of a spec. */
export interface RuleView { rule: string; finding: string; reason: string; bucket: string; holds: boolean; applied: boolean; evidence: string[] }

/** What the engine says about one spec. */
export interface SpecView {
  spec: string;
  bucket: string;
  basis: string;
  reason: string;
  rules: RuleView[];
  evidence: string[];
  aggregate: { scope: string; pairs: number; rows: number; mean_rel_drop_pct: number; max_rel_drop_pct: number } | null;
  confidence: { value: number; label: string };
  /** predicted sensitivity (lib/recommend/predicted.ts): worst-layer SQNR in dB; absent or null when not computed */
  predicted?: { worst_sqnr_db: number; mean_sqnr_db: number; worst: string; tensors: number } | null;
}

export interface RecommendationView {
  recommended: string[];
  acceptable: string[];
  avoid: string[];
  rationale: Array<{ rule: string; text: string; specs: string[]; evidence: string[] }>;
  inputs: { params_b: number; family: string | null; task: string | null; context: number; target: string; memory_gb?: number | null };
  specs: SpecView[];
}

/** The spec of an eval result as the engine spells it (canonical: "W4-g128" is "W4"). */
export function specKey(spec: string): string {
  return spec.replace(/-g128(?=$|-)/, "").replace(/-rtn$/, "").toUpperCase();
}
