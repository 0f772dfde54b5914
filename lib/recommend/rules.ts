/**
 * The rules, as data: one per claim of a Qllm-Eval finding (data/evidence/qllm_eval_findings.csv)
 * that says which spec to choose. Each has a scope (which deployments it speaks of), a choice (a
 * bucket for some specs), a reason, the finding it comes from, and a data check: an aggregate
 * over the loaded evidence (lib/store/evidence-aggregates.ts) that must hold, spec by spec,
 * before the rule is used. A rule whose check fails for a spec is reported, not applied.
 *
 * Findings that choose no spec are not rules: F01 and F02 (size trends), F03 (MoE vs dense),
 * F20 (saturation: it argues against F05 in saturated families, with no scope the inputs can test).
 */
import type { EvidenceScope } from "../store/evidence-aggregates.ts";
import * as C from "./constants.ts";
import type { Bucket, TaskKind } from "./types.ts";

/** The aggregate a check compares with its threshold. */
export type Measure = "mean_rel_drop_pct" | "max_rel_drop_pct" | "mean_point_drop" | "share_pairs_within" | "share_rows_within_points";

/** A check per spec: `measure` of the spec's rows in `scope` compared with `threshold`. */
export interface AggregateCheck { kind: "aggregate"; scope: EvidenceScope; measure: Measure; op: "<" | ">"; threshold: number; thresholdName: string }
/** F05's check: share of larger@W3 wins over same-memory smaller models, in the user's task scope. */
export interface LargerAtW3Check { kind: "larger-at-w3"; op: ">"; threshold: number; thresholdName: string }

/** Which deployments a rule speaks of; absent fields mean any. */
export interface RuleScope {
  sizeLtB?: number;
  sizeGtB?: number;
  tasks?: TaskKind[];
  families?: string[];
  context?: "long" | "short";
  memoryBudget?: true;
}

export interface Rule {
  id: string;
  finding: string;
  scope: RuleScope;
  /** the scope in words */
  condition: string;
  choice: { bucket: Bucket; specs: string[] };
  reason: string;
  check: AggregateCheck | LargerAtW3Check;
  /** advisory rules report a choice beyond the user's model (F05: a larger model) and move no bucket */
  advisory?: true;
}

const EMERGENT_4: TaskKind[] = ["in_context_learning", "instruction_following", "multi_step_reasoning", "self_calibration"];
const MR_SC = { abilities: ["multi_step_reasoning", "self_calibration"] };
const LONG: EvidenceScope = { taskCategories: ["long_context"] };
const DIALOGUE: EvidenceScope = { taskCategories: ["dialogue"] };
const ETHICS: EvidenceScope = { taskCategories: ["trustworthiness"], datasets: ["ethics_commonsense", "ethics_deontology", "ethics_justice", "ethics_virtue"] };
const below = (measure: Measure, scope: EvidenceScope, threshold: number, thresholdName: string): AggregateCheck => ({ kind: "aggregate", scope, measure, op: "<", threshold, thresholdName });
const above = (measure: Measure, scope: EvidenceScope, threshold: number, thresholdName: string): AggregateCheck => ({ kind: "aggregate", scope, measure, op: ">", threshold, thresholdName });

/** Every rule, in the order they are reported. */
export const RULES: Rule[] = [
  {
    id: "small-model-reasoning-8bit", finding: "F07", scope: { sizeLtB: 13, tasks: ["multi_step_reasoning", "self_calibration"] },
    condition: "model under 13B, task multi-step reasoning or self-calibration", choice: { bucket: "recommended", specs: ["W8", "W8A8", "KV8"] },
    reason: "below 13B, 8-bit weights, weight-activations or KV cache keep self-calibration and multi-step reasoning",
    check: below("mean_rel_drop_pct", { ...MR_SC, sizeMaxB: 13 }, C.NEGLIGIBLE_DROP_PCT, "NEGLIGIBLE_DROP_PCT"),
  },
  {
    id: "reasoning-3bit-loses", finding: "F06", scope: { tasks: ["multi_step_reasoning", "self_calibration"] },
    condition: "task multi-step reasoning or self-calibration", choice: { bucket: "avoid", specs: ["W3", "KV3"] },
    reason: "self-calibration and multi-step reasoning are the emergent abilities most sensitive to quantization",
    check: above("mean_rel_drop_pct", MR_SC, C.ACCEPTABLE_DROP_PCT, "ACCEPTABLE_DROP_PCT"),
  },
  {
    id: "large-model-4bit", finding: "F08", scope: { sizeGtB: 13, tasks: EMERGENT_4 },
    condition: "model above 13B, an emergent ability (ICL, instruction following, reasoning, self-calibration)", choice: { bucket: "recommended", specs: ["W4", "KV4"] },
    reason: "above 13B, W4 or KV4 keeps all four emergent abilities (no model x dataset pair loses 10% or more)",
    check: below("max_rel_drop_pct", { abilities: EMERGENT_4, sizeMinB: 13.5 }, C.ACCEPTABLE_DROP_PCT, "ACCEPTABLE_DROP_PCT"),
  },
  {
    id: "emergent-w4a8-holds", finding: "F09", scope: { tasks: EMERGENT_4 },
    condition: "an emergent ability", choice: { bucket: "acceptable", specs: ["W4A8"] },
    reason: "W4A8 is fine for emergent abilities",
    check: below("mean_rel_drop_pct", { taskCategories: ["emergent"] }, C.ACCEPTABLE_DROP_PCT, "ACCEPTABLE_DROP_PCT"),
  },
  {
    id: "emergent-w4a4-destroys", finding: "F09", scope: { tasks: EMERGENT_4 },
    condition: "an emergent ability", choice: { bucket: "avoid", specs: ["W4A4"] },
    reason: "W4A4 destroys emergent abilities",
    check: above("mean_rel_drop_pct", { taskCategories: ["emergent"] }, C.COLLAPSE_DROP_PCT, "COLLAPSE_DROP_PCT"),
  },
  {
    id: "low-bit-collapse", finding: "F18", scope: {},
    condition: "any deployment", choice: { bucket: "avoid", specs: ["W2", "W2-awq", "W2-gptq", "W4A4", "W4A4-smoothquant"] },
    reason: "W2 and W4A4 collapse, and AWQ / SmoothQuant cannot rescue them",
    check: above("mean_rel_drop_pct", { includeLlama3: true }, C.COLLAPSE_DROP_PCT, "COLLAPSE_DROP_PCT"),
  },
  {
    id: "four-bit-mostly-negligible", finding: "F04", scope: {},
    condition: "any deployment", choice: { bucket: "acceptable", specs: ["W4", "W4A8", "KV4", "W8KV4"] },
    reason: "W4, W4A8, KV4 and W8KV4 lose less than 2% on most tasks for most families",
    check: above("share_pairs_within", {}, C.MOST_SHARE, "MOST_SHARE"),
  },
  {
    id: "long-context-8bit", finding: "F13", scope: { context: "long" },
    condition: "context above 4k tokens", choice: { bucket: "recommended", specs: ["W8", "W8A8"] },
    reason: "8-bit weights and weight-activations keep long-context accuracy in nearly every cell",
    check: above("share_rows_within_points", LONG, C.NEARLY_ALL_SHARE, "NEARLY_ALL_SHARE"),
  },
  {
    id: "long-context-4bit-kv8", finding: "F13", scope: { context: "long" },
    condition: "context above 4k tokens", choice: { bucket: "acceptable", specs: ["W4", "W4A8", "KV8"] },
    reason: "W4, W4A8 and KV8 keep long-context performance in most cases",
    check: above("share_rows_within_points", LONG, C.MOST_SHARE, "MOST_SHARE"),
  },
  {
    id: "long-context-low-bit-kv", finding: "F12", scope: { context: "long" },
    condition: "context above 4k tokens", choice: { bucket: "avoid", specs: ["KV4", "KV3", "KV2"] },
    reason: "warning: long texts are more sensitive to quantization than short ones, most of all to KV-cache quantization",
    check: above("mean_point_drop", LONG, C.LONG_CONTEXT_LOSS_POINTS, "LONG_CONTEXT_LOSS_POINTS"),
  },
  {
    id: "mistral-long-kv4", finding: "F15", scope: { context: "long", families: ["Mistral"] },
    condition: "Mistral family, context above 4k tokens", choice: { bucket: "acceptable", specs: ["KV4"] },
    reason: "Mistral tolerates KV4 on long contexts (an exception to the long-context KV warning)",
    check: below("mean_point_drop", { ...LONG, families: ["Mistral"] }, C.LONG_CONTEXT_LOSS_POINTS, "LONG_CONTEXT_LOSS_POINTS"),
  },
  {
    id: "longchat-long-8bit-only", finding: "F14", scope: { context: "long", families: ["LongChat"] },
    condition: "LongChat family, context above 4k tokens", choice: { bucket: "avoid", specs: ["W4", "W3", "W2", "W4A8", "W4A4", "KV8", "KV4", "KV3", "KV2"] },
    reason: "LongChat tolerates only W8 and W8A8 on long contexts",
    check: above("mean_point_drop", { ...LONG, datasets: ["longeval_lines"], families: ["LongChat"] }, C.LONG_CONTEXT_LOSS_POINTS, "LONG_CONTEXT_LOSS_POINTS"),
  },
  {
    id: "long-context-w8kv4", finding: "F22", scope: { context: "long" },
    condition: "context above 4k tokens", choice: { bucket: "avoid", specs: ["W8KV4"] },
    reason: "on long texts W8KV8 is better than W8KV4 (the W+KV precision order is inferred, see data/evidence/README.md)",
    check: above("mean_point_drop", LONG, C.LONG_CONTEXT_LOSS_POINTS, "LONG_CONTEXT_LOSS_POINTS"),
  },
  {
    id: "short-text-w8kv4", finding: "F21", scope: { context: "short" },
    condition: "context up to 4k tokens", choice: { bucket: "recommended", specs: ["W8KV4"] },
    reason: "for short texts W8KV4 is nearly lossless (checked on the shortest LongEval bucket, 4k: there is no short-text W8KV4 data)",
    check: below("mean_rel_drop_pct", { ...LONG, contextBuckets: ["len_4k"] }, C.NEGLIGIBLE_DROP_PCT, "NEGLIGIBLE_DROP_PCT"),
  },
  {
    id: "dialogue-mild-specs", finding: "F16", scope: { tasks: ["dialogue"] },
    condition: "task dialogue", choice: { bucket: "recommended", specs: ["W8", "W4A8", "KV4"] },
    reason: "for dialogue, W8, W4A8 and KV4 lose less than 0.2 MT-Bench (GPT-4) score",
    check: below("mean_point_drop", DIALOGUE, C.DIALOGUE_NEGLIGIBLE_SCORE, "DIALOGUE_NEGLIGIBLE_SCORE"),
  },
  {
    id: "dialogue-breaks", finding: "F17", scope: { tasks: ["dialogue"] },
    condition: "task dialogue", choice: { bucket: "avoid", specs: ["W3", "KV3", "W2", "KV2", "W4A4"] },
    reason: "for dialogue, W3 and KV3 cause repetition and W2, KV2 and W4A4 destroy the ability",
    check: above("mean_point_drop", DIALOGUE, C.DIALOGUE_BREAK_SCORE, "DIALOGUE_BREAK_SCORE"),
  },
  {
    id: "small-model-ethics-3bit", finding: "F10", scope: { sizeLtB: 13, tasks: ["ethics"] },
    condition: "model under 13B, task ethics", choice: { bucket: "avoid", specs: ["W3", "KV3"] },
    reason: "small models are more sensitive to quantization on ethics tasks",
    check: above("mean_rel_drop_pct", { ...ETHICS, sizeMaxB: 13 }, C.ACCEPTABLE_DROP_PCT, "ACCEPTABLE_DROP_PCT"),
  },
  {
    id: "ethics-weight-only-helps", finding: "F11", scope: { tasks: ["ethics"] },
    condition: "task ethics", choice: { bucket: "recommended", specs: ["W4", "W3"] },
    reason: "weight-only quantization improves the judgement of sensitive information (ETHICS as the proxy)",
    check: below("mean_point_drop", ETHICS, 0, "zero (an improvement)"),
  },
  {
    id: "opt-weight-fragile", finding: "F19", scope: { families: ["OPT"] },
    condition: "OPT family", choice: { bucket: "avoid", specs: ["W3", "W2"] },
    reason: "OPT is very sensitive to weight-only quantization",
    check: above("mean_rel_drop_pct", { families: ["OPT"] }, C.ACCEPTABLE_DROP_PCT, "ACCEPTABLE_DROP_PCT"),
  },
  {
    id: "memory-larger-model-w3", finding: "F05", scope: { memoryBudget: true },
    condition: "a memory budget is given", choice: { bucket: "acceptable", specs: ["W3"] },
    reason: "under a fixed memory budget, a larger model of the family at W3 can beat a smaller one at a higher bit width",
    check: { kind: "larger-at-w3", op: ">", threshold: C.MOST_SHARE, thresholdName: "MOST_SHARE" }, advisory: true,
  },
];
