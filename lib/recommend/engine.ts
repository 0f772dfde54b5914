/**
 * The recommendation pipeline, pure and deterministic over a store holding the evidence:
 * categorize (specs.ts) -> eligible (target) -> evidence in the user's scope -> rules (rules.ts,
 * each checked against the data) -> fallback (evidence bands, then a combined spec's parts) ->
 * the user's own runs (demote) -> memory budget (fits, loses least) -> confidence. Every step
 * leaves its reason on the spec.
 */
import { fetchCalibratedSpecs } from "../store/evidence-queries.ts";
import type { Store } from "../store/store.ts";
import { EvidenceReader, runAggregateCheck, type CheckResult } from "./checks.ts";
import { confidenceOf } from "./confidence.ts";
import { agreementOf, worse } from "./measured.ts";
import { estimateShape, footprint } from "./memory.ts";
import { applyMemory, largerModelAdvice } from "./budget.ts";
import { rationaleOf } from "./rationale.ts";
import { bucketFromDrop, resolveRules, ruleMatches, specificity } from "./resolve.ts";
import type { FiredRule, Recommendation, SpecResult } from "./result.ts";
import { RULES, type AggregateCheck, type Rule } from "./rules.ts";
import { userScopes } from "./scope.ts";
import { bySpecOrder, canonicalSpec, categorize, inTarget, METHOD_SUFFIXES, QUANT_ORDER } from "./specs.ts";
import { aggregateText } from "./text.ts";
import type { RecommendInput } from "./types.ts";

/** Every candidate spec: the base list, the evidence's calibrated variants, and calibrated specs the user measured. */
async function candidates(store: Store, input: RecommendInput): Promise<string[]> {
  const measured = input.measured.map((m) => canonicalSpec(m.spec)).filter((s) => METHOD_SUFFIXES.some((x) => s.endsWith(x)) && categorize(s));
  const all = [...new Set([...QUANT_ORDER, ...(await fetchCalibratedSpecs(store)), ...measured])];
  return all.filter((s) => inTarget(categorize(s)!, input.target)).sort(bySpecOrder);
}

/** Recommends specs for the deployment `input` from the evidence in `store` and the user's runs. */
export async function recommend(store: Store, input: RecommendInput): Promise<Recommendation> {
  const specs = await candidates(store, input);
  const reader = new EvidenceReader(store, input.paramsB, input.family);
  const scopes = userScopes(input);
  const shape = input.shape ?? estimateShape(input.paramsB * 1e9);

  // rules: every rule whose scope covers the deployment, checked against the data spec by spec
  const matching = RULES.filter((r) => ruleMatches(r, input) && !r.advisory);
  const checks = new Map<Rule, CheckResult[]>();
  for (const r of matching) checks.set(r, await runAggregateCheck(reader, r as Rule & { check: AggregateCheck }));

  const results: SpecResult[] = [];
  for (const spec of specs) {
    const parts = categorize(spec)!;
    // evidence in the user's scope, widened until the spec has rows
    let aggregate: SpecResult["aggregate"] = null;
    let agg = null;
    // a combined W+KV spec is not read from other tasks' rows: its parts decide it (composeCombined)
    for (const s of scopes.filter((x) => parts.kind !== "weights+kv" || x.widened < 2)) {
      agg = (await reader.aggregates(specs, s.scope)).find((a) => a.spec === spec) ?? null;
      if (agg) { aggregate = { scope: s.label, widened: s.widened, pairs: agg.pairs, rows: agg.rows, mean_rel_drop_pct: agg.mean_rel_drop_pct, max_rel_drop_pct: agg.max_rel_drop_pct, mean_point_drop: agg.mean_point_drop, text: aggregateText(spec, agg, s.label) }; break; }
    }
    const fired = matching.filter((r) => r.choice.specs.includes(spec)).map((r) => {
      const c = checks.get(r)!.find((x) => x.spec === spec)!;
      return { rule: r.id, finding: r.finding, condition: r.condition, reason: r.reason, bucket: r.choice.bucket, holds: c.holds, applied: false, check: c.text, evidence: c.row_ids, specificity: specificity(r) };
    });
    const byRules = resolveRules(fired);
    const result: SpecResult = {
      spec, bucket: byRules ?? (agg ? bucketFromDrop(agg) : "acceptable"), basis: byRules ? "rule" : agg ? "evidence" : "none",
      reason: byRules ? fired.filter((f) => f.applied).map((f) => `${f.rule} (${f.finding}): ${f.reason}`).join("; ") : agg ? `by the evidence: ${aggregate!.text}` : "no evidence for this spec",
      rules: fired.map(({ specificity: _s, ...f }) => f as FiredRule), evidence: agg?.row_ids ?? [], aggregate,
      confidence: confidenceOf(agg, aggregate?.widened ?? 0, input.family !== null), memory: { ...footprint(shape, parts, input.context, input.shape === null), fits: null }, measured: null,
      predicted: predictedOf(input, spec),
    };
    results.push(result);
  }
  // the user's own runs: a measurement far worse than the evidence demotes the spec; combined
  // specs without evidence are composed after it, from their parts' final buckets
  const measuredStep = (r: SpecResult) => {
    r.measured = agreementOf(r.spec, r.bucket, input.measured, r.aggregate?.text ?? r.reason);
    if (r.measured && !r.measured.agrees) { r.bucket = worse(r.bucket, r.measured.measured_bucket); r.basis = "measured"; r.reason = r.measured.text; }
  };
  results.filter((r) => r.basis !== "none").forEach(measuredStep);
  composeCombined(results);
  results.filter((r) => r.basis === "composed").forEach(measuredStep);
  const advice = input.memoryGb !== null ? await largerModelAdvice(reader, input, scopes[1]!) : null;
  if (input.memoryGb !== null) applyMemory(results, input.memoryGb);

  const list = (b: string) => results.filter((r) => r.bucket === b).map((r) => r.spec);
  return {
    recommended: list("recommended"), acceptable: list("acceptable"), avoid: list("avoid"),
    rationale: rationaleOf(results, matching, checks, advice),
    inputs: {
      model: input.model ?? null, params_b: input.paramsB, family: input.family, task: input.task, context: input.context,
      memory_gb: input.memoryGb, target: input.target, shape: input.shape ? "from the model file" : "estimated from the parameter count",
      measured_specs: input.measured.map((m) => m.spec),
    },
    specs: results,
  };
}

/** The predicted score of a spec, without its name (null when none was computed). */
function predictedOf(input: RecommendInput, spec: string): SpecResult["predicted"] {
  const p = input.predicted?.find((x) => x.spec === spec);
  return p ? { worst_sqnr_db: p.worst_sqnr_db, mean_sqnr_db: p.mean_sqnr_db, worst: p.worst, tensors: p.tensors } : null;
}

/**
 * A combined spec without evidence or rule (e.g. W4KV8 on short texts) takes the worse bucket of its
 * W and KV parts, and at best "acceptable": nothing measured it as a whole.
 */
function composeCombined(results: SpecResult[]): void {
  for (const r of results.filter((x) => x.basis === "none")) {
    const p = categorize(r.spec)!;
    if (p.kind !== "weights+kv") continue;
    const w = results.find((x) => x.spec === `W${p.w}`), kv = results.find((x) => x.spec === `KV${p.kv}`);
    if (!w || !kv || w.basis === "none" || kv.basis === "none") continue;
    r.bucket = worse(worse(w.bucket, kv.bucket), "acceptable");
    r.basis = "composed";
    r.reason = `no evidence for ${r.spec} itself: the worse of W${p.w} (${w.bucket}) and KV${p.kv} (${kv.bucket}), at best acceptable`;
    r.evidence = [...new Set([...w.evidence, ...kv.evidence])].sort();
    r.confidence = { value: Math.round(Math.min(w.confidence.value, kv.confidence.value) * 50) / 100, label: "low" };
  }
}
