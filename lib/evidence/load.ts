/**
 * The one evidence loader: the three CSV texts -> checked rows -> the store's evidence tables,
 * then a schema check on what the store holds. Text in, so the browser (CSV fetched or bundled,
 * duckdb-wasm store) and Node (lib/evidence/node.ts reads data/evidence/) share every step.
 */
import { FormatError } from "../formats/errors.ts";
import { fetchEvidenceColumnTypes, fetchEvidenceCounts, saveEvidence, type EvidenceCounts } from "../store/evidence-queries.ts";
import type { Row, Store } from "../store/store.ts";
import { columnsOf } from "../store/tables.ts";
import { csvRecords } from "./csv.ts";
import { LLAMA3_RESULTS, QLLM_FINDINGS, QLLM_RESULTS, type EvidenceTexts } from "./files.ts";
import { findingRow, llama3ResultRow, qllmResultRow } from "./rows.ts";

/** Parses and checks the three files: exact headers, row counts, cell types, unique row ids. */
export function parseEvidence(texts: EvidenceTexts): { results: Row[]; findings: Row[] } {
  const read = (spec: { file: string; rows: number; columns: readonly string[] }, text: string, toRow: (r: Record<string, string>, line: number) => Row) => {
    const records = csvRecords(text, spec.file, spec.columns);
    if (records.length !== spec.rows) throw new FormatError(spec.file, "row count", `${records.length} rows, expected ${spec.rows}`);
    return records.map((r, i) => toRow(r, i + 2));
  };
  const qllm = read(QLLM_RESULTS, texts.qllmResults, qllmResultRow);
  const llama3 = withFp16(read(LLAMA3_RESULTS, texts.llama3Results, llama3ResultRow));
  const findings = read(QLLM_FINDINGS, texts.qllmFindings, findingRow);
  unique(QLLM_FINDINGS.file, "id", findings.map((f) => f.finding_id as string));
  const results = [...qllm, ...llama3];
  unique(`${QLLM_RESULTS.file} + ${LLAMA3_RESULTS.file}`, "row_id", results.map((r) => r.row_id as string));
  return { results, findings };
}

function unique(file: string, field: string, ids: string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new FormatError(file, field, `"${id}" appears twice`);
    seen.add(id);
  }
}

/** The FP16 figure of the same table, model, dataset and metric (else of any table), as Qllm-Eval's rows carry. */
function withFp16(rows: Row[]): Row[] {
  const key = (r: Row, table: boolean) => JSON.stringify([table ? r.source : "", r.model, r.dataset, r.metric]);
  const fp16 = new Map<string, number | null>();
  for (const r of rows.filter((x) => x.method === "FP16")) {
    for (const t of [true, false]) if (!fp16.has(key(r, t))) fp16.set(key(r, t), r.value as number | null);
  }
  return rows.map((r) => ({ ...r, fp16_value: fp16.get(key(r, true)) ?? fp16.get(key(r, false)) ?? null }));
}

/** What loadEvidence found in the store after loading. */
export type EvidenceSummary = EvidenceCounts;

/** Loads the evidence into `store` (rows already there by id are kept) and checks the result; returns the counts. */
export async function loadEvidence(store: Store, texts: EvidenceTexts): Promise<EvidenceSummary> {
  const { results, findings } = parseEvidence(texts);
  const before = await fetchEvidenceCounts(store);
  if (before.qllm !== QLLM_RESULTS.rows || before.llama3 !== LLAMA3_RESULTS.rows || before.findings !== QLLM_FINDINGS.rows) {
    await saveEvidence(store, results, findings);
  }
  return checkEvidence(store);
}

/** The schema check on a loaded store: row counts per file, unique row ids, declared column types. */
export async function checkEvidence(store: Store): Promise<EvidenceSummary> {
  const counts = await fetchEvidenceCounts(store);
  const fail = (field: string, detail: string) => { throw new FormatError("store evidence_results", field, detail); };
  if (counts.qllm !== QLLM_RESULTS.rows) fail("row count", `${counts.qllm} Qllm-Eval rows, expected ${QLLM_RESULTS.rows}`);
  if (counts.llama3 !== LLAMA3_RESULTS.rows) fail("row count", `${counts.llama3} LLaMA3 rows, expected ${LLAMA3_RESULTS.rows}`);
  if (counts.findings !== QLLM_FINDINGS.rows) fail("row count", `${counts.findings} findings, expected ${QLLM_FINDINGS.rows}`);
  if (counts.distinct_row_ids !== counts.results) fail("row_id", `${counts.results - counts.distinct_row_ids} duplicate row ids`);
  for (const c of await fetchEvidenceColumnTypes(store)) {
    const declared = columnsOf(c.table_name)?.find((d) => d.name === c.column_name)?.type;
    if (declared !== c.data_type) fail(`${c.table_name}.${c.column_name}`, `type ${c.data_type}, schema declares ${declared ?? "nothing"}`);
  }
  return counts;
}
