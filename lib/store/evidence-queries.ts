/**
 * Named reads and writes of the evidence tables (evidence_results, evidence_findings): the
 * loader's writes and schema check. The recommendation engine's aggregates are in
 * evidence-aggregates.ts. Same SQL in Node DuckDB and duckdb-wasm.
 */
import { named } from "./queries.ts";
import { sql, type Row, type Store } from "./store.ts";

/** Row counts the schema check compares with the files' own counts. */
export interface EvidenceCounts { qllm: number; llama3: number; findings: number; distinct_row_ids: number; results: number }

/** Inserts result and finding rows (rows already present by id are left as they are). */
export function saveEvidence(store: Store, results: Row[], findings: Row[]): Promise<void> {
  return named("saveEvidence", async () => {
    await store.insert("evidence_results", results, { onConflict: "ignore" });
    await store.insert("evidence_findings", findings, { onConflict: "ignore" });
  });
}

/** Counts of loaded evidence: Qllm-Eval rows (`qe_` ids), LLaMA3 rows (`l3_` ids), findings, distinct ids. */
export function fetchEvidenceCounts(store: Store): Promise<EvidenceCounts> {
  return named("fetchEvidenceCounts", async () => {
    const r = await store.queryRow<EvidenceCounts>(`SELECT
      CAST(count(*) FILTER (WHERE starts_with(row_id, 'qe_')) AS INTEGER) AS qllm,
      CAST(count(*) FILTER (WHERE starts_with(row_id, 'l3_')) AS INTEGER) AS llama3,
      CAST((SELECT count(*) FROM evidence_findings) AS INTEGER) AS findings,
      CAST(count(DISTINCT row_id) AS INTEGER) AS distinct_row_ids,
      CAST(count(*) AS INTEGER) AS results
      FROM evidence_results`);
    return r!;
  });
}

/** Declared column types of the evidence tables, as DuckDB reports them (for the schema check). */
export function fetchEvidenceColumnTypes(store: Store): Promise<Array<{ table_name: string; column_name: string; data_type: string }>> {
  return named("fetchEvidenceColumnTypes", () => store.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_name IN ('evidence_results', 'evidence_findings') ORDER BY table_name, ordinal_position`));
}

/** One finding as stored. */
export interface FindingRow {
  finding_id: string; text: string; source: string; family: string | null; method: string | null;
  model_size_lt_b: number | null; model_size_gt_b: number | null; task_category: string | null; ability: string | null;
  context: string | null; quant_target: string | null; recommended_bits: string | null; discouraged_bits: string | null;
  data_check: string; verdict: string;
}

/** Every finding, by id. */
export function fetchFindings(store: Store): Promise<FindingRow[]> {
  return named("fetchFindings", () => store.query<FindingRow>("SELECT * FROM evidence_findings ORDER BY finding_id"));
}

/** Evidence rows by id (for citing rows behind a recommendation), in id order. */
export function fetchEvidenceRows(store: Store, rowIds: string[]): Promise<Row[]> {
  return named("fetchEvidenceRows", async () => {
    if (rowIds.length === 0) return [];
    return store.query(`SELECT * FROM evidence_results WHERE row_id IN (${rowIds.map(() => "?").join(", ")}) ORDER BY row_id`, rowIds);
  });
}

/** Rows of one model family at one spec, for the explorer (family null: all). */
export function fetchEvidenceBySpec(store: Store, spec: string, family: string | null = null): Promise<Row[]> {
  return named(`fetchEvidenceBySpec(${spec})`, () => store.query(family === null
    ? sql`SELECT * FROM evidence_results WHERE spec = ${spec} ORDER BY row_id`
    : sql`SELECT * FROM evidence_results WHERE spec = ${spec} AND family = ${family} ORDER BY row_id`));
}

/** Distinct specs of the evidence that carry a calibration method (`W4-awq`, `W8A8-smoothquant`, ...), no group suffix. */
export function fetchCalibratedSpecs(store: Store): Promise<string[]> {
  return named("fetchCalibratedSpecs", async () => {
    const rows = await store.query<{ spec: string }>(
      "SELECT DISTINCT spec FROM evidence_results WHERE regexp_matches(spec, '^W[0-9]+(A[0-9]+)?-(awq|gptq|smoothquant)$') ORDER BY spec");
    return rows.map((r) => r.spec);
  });
}

/** Families present in the evidence (to spell a typed family as the evidence does). */
export function fetchEvidenceFamilies(store: Store): Promise<string[]> {
  return named("fetchEvidenceFamilies", async () =>
    (await store.query<{ family: string }>("SELECT DISTINCT family FROM evidence_results WHERE family IS NOT NULL ORDER BY family")).map((r) => r.family));
}
