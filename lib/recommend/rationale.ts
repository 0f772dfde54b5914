/**
 * The rationale list (CONTRACT: {rule, text, specs, evidence}): one entry per rule that spoke,
 * saying where its data check does not hold; then the evidence fallback, the user's runs and the budget.
 */
import type { CheckResult } from "./checks.ts";
import type { RationaleEntry, SpecResult } from "./result.ts";
import type { Rule } from "./rules.ts";

const ids = (xs: string[][]) => [...new Set(xs.flat())].sort();

/** Builds the rationale from the resolved specs and the checks of the matching rules. */
export function rationaleOf(results: SpecResult[], rules: Rule[], checks: Map<Rule, CheckResult[]>, advice: RationaleEntry | null): RationaleEntry[] {
  const out: RationaleEntry[] = [];
  const present = new Set(results.map((r) => r.spec));
  for (const rule of rules) {
    const cs = checks.get(rule)!.filter((c) => present.has(c.spec));
    if (cs.length === 0) continue;
    const ok = cs.filter((c) => c.holds), bad = cs.filter((c) => !c.holds);
    const applied = ok.filter((c) => results.find((r) => r.spec === c.spec)!.rules.some((f) => f.rule === rule.id && f.applied));
    const head = `${rule.finding} (${rule.condition}): ${rule.reason} -> ${rule.choice.bucket} ${ok.map((c) => c.spec).join(", ") || "nothing"}`;
    const held = ok.length ? `; data: ${ok.map((c) => c.text).join("; ")}` : "";
    const failed = bad.length ? `; the data check does not hold for ${bad.map((c) => c.text).join("; ")}: not used for ${bad.map((c) => c.spec).join(", ")}` : "";
    const bucketOf = (spec: string) => results.find((r) => r.spec === spec)!;
    const notApplied = ok.filter((c) => !applied.includes(c));
    const agreed = notApplied.filter((c) => bucketOf(c.spec).bucket === rule.choice.bucket).map((c) => c.spec);
    const overridden = notApplied.filter((c) => bucketOf(c.spec).bucket !== rule.choice.bucket).map((c) => c.spec);
    const over = (agreed.length ? `; a more specific rule decides ${agreed.join(", ")} the same way` : "") +
      (overridden.length ? `; overridden by a more specific rule, the budget or your runs for ${overridden.join(", ")}` : "");
    out.push({ rule: rule.id, text: head + held + failed + over, specs: ok.map((c) => c.spec), evidence: ids(ok.map((c) => c.row_ids)), finding: rule.finding, holds: bad.length === 0 });
  }
  const group = (basis: SpecResult["basis"], rule: string, lead: string) => {
    const rs = results.filter((r) => r.basis === basis);
    if (rs.length) out.push({ rule, text: `${lead}: ${rs.map((r) => `${r.spec} ${r.bucket} (${r.reason})`).join("; ")}`, specs: rs.map((r) => r.spec), evidence: ids(rs.map((r) => r.evidence)) });
  };
  group("evidence", "evidence-fallback", "no rule decides these; the mean relative drop does (<2% recommended, <=10% acceptable, else avoid)");
  group("composed", "combined-spec-parts", "combined specs without evidence of their own");
  group("measured", "measured-runs", "your own measurements");
  const agreeing = results.filter((r) => r.measured?.agrees);
  if (agreeing.length) out.push({ rule: "measured-runs-agree", text: agreeing.map((r) => r.measured!.text).join("; "), specs: agreeing.map((r) => r.spec), evidence: ids(agreeing.map((r) => r.evidence)) });
  group("memory", "memory-budget", "memory budget");
  if (advice) out.push(advice);
  return out;
}
