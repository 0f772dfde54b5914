/**
 * The three evidence files carried in data/evidence/ (copied from ../shared/evidence; see the
 * README there for provenance, licence and column meanings): their names, exact headers and row
 * counts. The loader refuses a file whose header or row count differs.
 */

/** Qllm-Eval results (Li et al., ICML 2024, arXiv:2402.18158; MIT): one published number per row. */
export const QLLM_RESULTS = {
  file: "qllm_eval_results.csv",
  rows: 6729,
  columns: [
    "source", "family", "model", "params_b", "active_params_b", "is_moe", "is_chat", "task_category", "ability", "dataset",
    "context_bucket", "quant_target", "w_bits", "a_bits", "kv_bits", "method", "metric", "value", "fp16_value", "precision",
    "value_unit", "source_key", "note", "row_id",
  ],
} as const;

/** Qllm-Eval's summary findings as scoped rows, each with a data check and a verdict. */
export const QLLM_FINDINGS = {
  file: "qllm_eval_findings.csv",
  rows: 22,
  columns: [
    "id", "statement", "model_size_lt_b", "model_size_gt_b", "task_category", "ability", "context", "quant_target",
    "recommended_bits", "discouraged_bits", "source", "data_check", "verdict", "family", "method",
  ],
} as const;

/** The LLaMA3 low-bit study's tables (Huang et al., arXiv:2404.14047v3): one number per row, no row ids. */
export const LLAMA3_RESULTS = {
  file: "llama3_quant_results.csv",
  rows: 831,
  columns: ["source", "model", "params_b", "method", "w_bits", "a_bits", "group_size", "finetune", "dataset", "metric", "value", "note", "value_numeric"],
} as const;

export const EVIDENCE_FILES = [QLLM_RESULTS, QLLM_FINDINGS, LLAMA3_RESULTS] as const;

/** The CSV texts the loader reads (Node: from data/evidence/; browser: fetched or bundled). */
export interface EvidenceTexts {
  qllmResults: string;
  qllmFindings: string;
  llama3Results: string;
}
