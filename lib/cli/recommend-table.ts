/** The readable form of a recommendation: inputs, one row per spec (bucket, basis, evidence, memory), then the reasons. */
import type { Recommendation } from "../recommend/result.ts";
import { fmt, renderTable } from "./table.ts";

/** Renders the three lists as a table and the rationale as numbered lines. */
export function renderRecommendation(r: Recommendation): string {
  const i = r.inputs;
  const head = [
    `model       ${i.model ?? "(none)"}  ${i.params_b.toPrecision(4)}B parameters, family ${i.family ?? "unknown"} (${i.shape})`,
    `deployment  task ${i.task ?? "any"}, context ${i.context} tokens, memory ${i.memory_gb === null ? "no budget" : `${i.memory_gb} GB`}, target ${i.target}`,
    `measured    ${i.measured_specs.length ? i.measured_specs.join(", ") : "no runs of this model in the store"}`,
    "",
    `recommended ${r.recommended.join(", ") || "-"}`,
    `acceptable  ${r.acceptable.join(", ") || "-"}`,
    `avoid       ${r.avoid.join(", ") || "-"}`,
    "",
  ].join("\n");
  const order = ["recommended", "acceptable", "avoid"];
  const specs = [...r.specs].sort((a, b) => order.indexOf(a.bucket) - order.indexOf(b.bucket));
  const table = renderTable(["spec", "bucket", "basis", "mean drop %", "pairs", "rows", "confidence", "memory GB", "predicted dB", "your KL", "why"],
    specs.map((s) => [s.spec, s.bucket, s.basis, s.aggregate ? Number(s.aggregate.mean_rel_drop_pct.toFixed(1)) : null, s.aggregate?.pairs ?? null,
      s.aggregate?.rows ?? null, `${s.confidence.value.toFixed(2)} ${s.confidence.label}`, fmt(s.memory.total_gb),
      s.predicted ? Number(s.predicted.worst_sqnr_db.toFixed(1)) : null, fmt(s.measured?.measured.kl), short(s.reason)]));
  const reasons = r.rationale.map((x, k) => `${k + 1}. [${x.rule}] ${x.text} (${x.evidence.length} evidence rows)`).join("\n");
  return `${head}\n${table}\nWhy:\n${reasons}\n`;
}

function short(text: string): string {
  return text.length > 90 ? `${text.slice(0, 87)}...` : text;
}
