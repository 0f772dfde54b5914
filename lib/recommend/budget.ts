/**
 * The memory step: a spec that does not fit the budget is avoided; when no recommended spec fits,
 * the fitting spec that loses least is recommended. And F05's advice: under the budget, a larger
 * model of the family at W3 may beat the user's model at a higher bit width, when the evidence shows it.
 */
import { BYTES_PER_GB, DEFAULT_GROUP_SIZE, F05_MEMORY_SLACK, MOST_SHARE } from "./constants.ts";
import type { EvidenceReader } from "./checks.ts";
import type { RationaleEntry, SpecResult } from "./result.ts";
import { RULES } from "./rules.ts";
import type { LabelledScope } from "./scope.ts";
import { gb } from "./text.ts";
import type { RecommendInput } from "./types.ts";

/** Marks fit, avoids what does not fit, and recommends the least-loss fitting spec when no recommended one fits. */
export function applyMemory(results: SpecResult[], memoryGb: number): void {
  for (const r of results) {
    r.memory.fits = r.memory.total_gb <= memoryGb;
    if (!r.memory.fits && r.bucket !== "avoid") {
      r.bucket = "avoid"; r.basis = "memory";
      r.reason = `needs ${gb(r.memory.total_gb)} (weights ${gb(r.memory.weights_gb)} + KV ${gb(r.memory.kv_gb)}), over the ${gb(memoryGb)} budget`;
    }
  }
  if (results.some((r) => r.bucket === "recommended")) return;
  const best = results
    .filter((r) => r.bucket === "acceptable" && r.aggregate)
    .sort((a, b) => a.aggregate!.mean_rel_drop_pct - b.aggregate!.mean_rel_drop_pct || a.memory.total_gb - b.memory.total_gb)[0];
  if (best) {
    best.bucket = "recommended"; best.basis = "memory";
    best.reason = `fits the ${gb(memoryGb)} budget (${gb(best.memory.total_gb)}) and loses least of the specs that fit: ${best.aggregate!.text}`;
  }
}

/** Bytes per parameter of a W3 g128 weight with an fp16 scale and zero per group. */
const W3_BYTES_PER_PARAM = (3 + (2 * 16) / DEFAULT_GROUP_SIZE) / 8;

/** F05's rationale entry for a budget, from the same-memory comparisons in the user's task scope (any size). */
export async function largerModelAdvice(reader: EvidenceReader, input: RecommendInput, scope: LabelledScope): Promise<RationaleEntry> {
  const rule = RULES.find((r) => r.check.kind === "larger-at-w3")!;
  const pairs = await reader.largerAtW3(scope.scope);
  const wins = pairs.filter((p) => p.larger_wins);
  const share = pairs.length ? wins.length / pairs.length : 0;
  const holds = pairs.length > 0 && share > MOST_SHARE;
  const maxB = (input.memoryGb! * BYTES_PER_GB) / W3_BYTES_PER_PARAM / 1e9;
  const counted = `larger@W3 beat a same-family smaller model needing at least ${(1 - F05_MEMORY_SLACK) * 100}% of its weight memory in ${wins.length}/${pairs.length} pairs on ${scope.label}`;
  const text = holds
    ? `${rule.finding}: ${rule.reason}. In the evidence ${counted}; at W3 a model of up to ${maxB.toFixed(1)}B parameters fits ${gb(input.memoryGb!)} (weights only)` +
      (maxB > input.paramsB * 1.5 ? `, so a larger ${input.family ?? "same-family"} model at W3 is worth measuring against this one` : "")
    : `${rule.finding} does not hold here: ${counted} (needs more than ${MOST_SHARE * 100}%); not used`;
  return { rule: rule.id, text, specs: rule.choice.specs, evidence: [...new Set((holds ? wins : pairs).flatMap((p) => p.row_ids))].sort(), finding: rule.finding, holds };
}
