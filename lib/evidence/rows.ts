/**
 * CSV records -> store rows (evidence_results, evidence_findings), with every cell type-checked.
 * Spec strings follow DESIGN.md: `W4`, `W4A8`, `KV3`, `W8KV4`; a calibrated method adds its suffix
 * (`W4-awq`, `W8A8-smoothquant`, `W4-gptq`); a llama3 row without grouping adds `-g-1`.
 */
import type { Row } from "../store/store.ts";
import { sha256Hex } from "../formats/sha256.ts";
import { Fields } from "./fields.ts";
import { LLAMA3_RESULTS, QLLM_FINDINGS, QLLM_RESULTS } from "./files.ts";

/** Group size of Qllm-Eval's RTN/AWQ (main.py default, per data/evidence/README.md). */
export const QLLM_GROUP_SIZE = 128;

/** DESIGN.md method suffixes; other methods (QuIP, BiLLM, ...) keep the bare bit spec and their `method`. */
const METHOD_SUFFIX: Record<string, string> = { RTN: "", AWQ: "-awq", GPTQ: "-gptq", SmoothQuant: "-smoothquant" };

const BITS = /^(16|8|6|4|3|2)$/;

/** One evidence_results row from a qllm_eval_results.csv record. */
export function qllmResultRow(rec: Record<string, string>, line: number): Row {
  const f = new Fields(QLLM_RESULTS.file, line, rec);
  const method = f.oneOf("method", ["FP16", "RTN", "AWQ"] as const);
  const precision = f.matching("precision", /^(FP16|(W\d)?(A\d)?(KV\d)?)$/);
  return {
    row_id: f.matching("row_id", /^qe_[0-9a-f]{10}$/), source: f.text("source"), family: f.text("family"), model: f.text("model"),
    size_b: f.number("params_b"), active_size_b: f.number("active_params_b"), is_moe: f.bool("is_moe"), is_chat: f.bool("is_chat"),
    task_category: f.oneOf("task_category", ["basic_nlp", "emergent", "dialogue", "long_context", "trustworthiness"] as const),
    ability: f.oneOf("ability", ["", "in_context_learning", "instruction_following", "multi_step_reasoning", "self_calibration"] as const) || null,
    task: null, dataset: f.text("dataset"), context_bucket: f.optText("context_bucket"),
    quant_target: f.oneOf("quant_target", ["none", "W", "WA", "KV", "WKV"] as const),
    spec: precision + (METHOD_SUFFIX[method] ?? ""),
    w_bits: Number(f.matching("w_bits", BITS)), a_bits: Number(f.matching("a_bits", BITS)), kv_bits: Number(f.matching("kv_bits", BITS)),
    group_size: method === "FP16" ? null : QLLM_GROUP_SIZE, method, finetune: null, metric: f.text("metric"),
    value: f.optNumber("value"), fp16_value: f.optNumber("fp16_value"), value_text: f.optText("value"),
    value_unit: f.oneOf("value_unit", ["percent", "fraction", "score_1_to_10"] as const),
    source_key: f.optText("source_key"), notes: f.optText("note"),
  };
}

/** One evidence_findings row from a qllm_eval_findings.csv record. */
export function findingRow(rec: Record<string, string>, line: number): Row {
  const f = new Fields(QLLM_FINDINGS.file, line, rec);
  return {
    finding_id: f.matching("id", /^F\d\d$/), text: f.text("statement"), source: f.text("source"),
    family: f.optText("family"), method: f.optText("method"),
    model_size_lt_b: f.optNumber("model_size_lt_b"), model_size_gt_b: f.optNumber("model_size_gt_b"),
    task_category: f.optText("task_category"), ability: f.optText("ability"), context: f.oneOf("context", ["", "short", "long"] as const) || null,
    quant_target: f.optText("quant_target"), recommended_bits: f.optText("recommended_bits"), discouraged_bits: f.optText("discouraged_bits"),
    data_check: f.text("data_check"), verdict: f.text("verdict"),
  };
}

/** The LLaMA3 study's own dataset groups (its tables: perplexity, zero-shot commonsense QA, MMLU, multimodal, cost). */
const LLAMA3_GROUPS: Array<[RegExp, string]> = [
  [/^(wikitext2|c4|ptb)$/, "language_modeling"],
  [/^(piqa|arc_e|arc_c|hellaswag|winogrande|avg)$/, "commonsense_qa"],
  [/^mmlu_\w+$/, "mmlu"],
  [/^(ai2d|chartqa|docvqa|mmbench_en|mme_cognition|mme_perception)$/, "multimodal"],
  [/^efficiency$/, "efficiency"],
];

/** Units of the llama3 metrics (accuracy is printed in percent; the others are their own unit). */
const LLAMA3_UNITS: Record<string, string> = { accuracy: "percent", ppl: "perplexity" };

/** Stable id of a llama3 row (the file has none): `l3_` + 10 hex of SHA-256 over the columns that make a row unique. */
export function llama3RowId(rec: Record<string, string>): string {
  const key = ["source", "model", "method", "w_bits", "a_bits", "group_size", "finetune", "dataset", "metric"].map((c) => rec[c] ?? "");
  return `l3_${sha256Hex(JSON.stringify(key)).slice(0, 10)}`;
}

/** One evidence_results row from a llama3_quant_results.csv record; fp16_value is filled by the loader. */
export function llama3ResultRow(rec: Record<string, string>, line: number): Row {
  const f = new Fields(LLAMA3_RESULTS.file, line, rec);
  const model = f.matching("model", /^[A-Za-z0-9.-]+-\d+B$/);
  const dataset = f.text("dataset");
  const group = LLAMA3_GROUPS.find(([re]) => re.test(dataset));
  if (!group) f.oneOf("dataset", LLAMA3_GROUPS.map(([re]) => re.source));
  const w = f.number("w_bits"), a = f.optNumber("a_bits") ?? 16, g = f.optNumber("group_size");
  const method = f.text("method");
  const spec = method === "FP16" ? "FP16" : `W${w}${a < 16 ? `A${a}` : ""}${g === null && w < 16 ? "-g-1" : g !== null && g !== 128 ? `-g${g}` : ""}${METHOD_SUFFIX[method] ?? ""}`;
  return {
    row_id: llama3RowId(rec), source: f.text("source"), family: model.replace(/-\d+B$/, ""), model,
    size_b: f.number("params_b"), active_size_b: f.number("params_b"), is_moe: false, is_chat: null,
    task_category: group![1], ability: null, task: null, dataset, context_bucket: null,
    quant_target: method === "FP16" ? "none" : a < 16 ? "WA" : "W", spec, w_bits: w, a_bits: f.optNumber("a_bits"), kv_bits: 16,
    group_size: g, method, finetune: f.text("finetune"), metric: f.text("metric"),
    value: f.optNumber("value_numeric"), fp16_value: null, value_text: f.optText("value"), value_unit: LLAMA3_UNITS[f.text("metric")] ?? f.text("metric"), source_key: null,
    notes: f.optText("note"),
  };
}
