/** The recommendation (lib/recommend): what to deploy, the rules that decided it, their citations and confidence. */
import { code, num, p, type Cite, type Inline, type Section } from "../model.ts";
import type { RecommendationView } from "../recommendation-view.ts";

const cite = (ids: string[]): Cite => ({ kind: "cite", ids });
const specs = (xs: string[]): Inline[] => (xs.length ? xs.flatMap((x, i) => (i ? [", ", code(x)] : [code(x)])) : ["none"]);

/** The recommendation in one line, as the Summary tab shows it. */
export function recommendationLine(r: RecommendationView): string {
  const part = (label: string, xs: string[]) => (xs.length ? `${label} ${xs.join(", ")}` : "");
  return [part("recommended:", r.recommended), part("acceptable:", r.acceptable), part("avoid:", r.avoid)].filter(Boolean).join("; ");
}

/** Builds the recommendation section; without an engine result it says why. */
export function recommendationSection(r: RecommendationView | null, why: string): Section {
  const section: Section = { id: "recommendation", title: "Recommendation", blocks: [] };
  if (!r) {
    section.blocks.push(p(why));
    return section;
  }
  const ids = [...new Set(r.specs.flatMap((s) => s.evidence).concat(r.rationale.flatMap((x) => x.evidence)))].sort();
  const ev = { queries: [], evidence: ids, via: "lib/recommend" };
  section.blocks.push(
    p("Recommended: ", ...specs(r.recommended), ". Acceptable: ", ...specs(r.acceptable), ". Avoid: ", ...specs(r.avoid), "."),
    p("For a model of ", num(r.inputs.params_b * 1e9, { kind: "int" }, { queries: ["dtype_totals"], via: "lib/recommend inputs" }, "parameters"),
      r.inputs.family ? ` (${r.inputs.family})` : "", r.inputs.task ? ` on ${r.inputs.task.replaceAll("_", " ")}` : " (no task given)",
      ", a context of ", num(r.inputs.context, { kind: "int" }, { queries: ["model"] }), " tokens",
      ...(r.inputs.memory_gb != null ? [", a memory budget of ", num(r.inputs.memory_gb, { kind: "sig", digits: 4 }, { queries: [], via: "the report's budget input" }, "GB")] : []),
      `, target ${r.inputs.target}; `,
      num(r.rationale.length, { kind: "int" }, ev), " rationale entries citing ", num(ids.length, { kind: "int" }, ev), " evidence rows."),
    {
      kind: "table", id: "recommendation-specs", caption: "Every candidate spec: bucket, what decided it, confidence and the evidence rows",
      columns: [{ label: "spec" }, { label: "bucket" }, { label: "decided by" }, { label: "confidence", align: "right" }, { label: "reason" }, { label: "evidence" }],
      rows: r.specs.map((s) => [code(s.spec), s.bucket, s.basis, num(s.confidence.value, { kind: "fixed", digits: 2 }, { queries: [], evidence: s.evidence, via: "lib/recommend confidence" }),
        s.reason, s.evidence.length ? cite(s.evidence) : "none"]),
    },
    { kind: "list", items: r.rationale.map((x) => [code(x.rule), ": ", x.text, ...(x.evidence.length ? [" ", cite(x.evidence)] : [])]) },
  );
  return section;
}
