/** What every section builder reads: the query log and the runs the report is about. */
import type { QueryLog } from "./query-log.ts";

export interface ModelRow {
  model_id: string; name: string; format: string; source: string | null; architecture: string | null;
  config: string | null; params: number | null; bytes: number | null; n_tensors: number | null;
}

export interface ReportContext {
  log: QueryLog;
  model: ModelRow;
  /** parsed models.config */
  config: Record<string, unknown>;
  /** the statistics run the outlier findings come from (null: none in the store) */
  statsRun: string | null;
  /** one eval run, or null for every eval run of the model */
  evalRun: string | null;
  /** context length of the KV cache figures */
  context: number;
}

/** Parses a JSON column (text) into an object; anything else is an empty object. */
export function jsonObject(text: unknown): Record<string, unknown> {
  if (typeof text !== "string") return text && typeof text === "object" ? (text as Record<string, unknown>) : {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
