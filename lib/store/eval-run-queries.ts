/**
 * Evaluation runs as the Runs list shows them (browser or CLI, or imported by bundle): model,
 * specs, the text's summary (documents, tokens, sha256 of the text, from runs.params), status
 * and how many spec results are stored; a run's params completed once known; deleting a run.
 */
import type { Store } from "./store.ts";
import { sql } from "./store.ts";

/** One evaluation run of the Runs list. */
export interface EvalRunListRow {
  run_id: string; status: string; started_at: string | null; finished_at: string | null;
  /** models.source (what the user opened), else the reader's name */
  model: string | null;
  /** the specs asked for, in run order (runs.spec, comma-separated) */
  specs: string[];
  documents: number | null; tokens: number | null; text_sha256: string | null;
  /** specs with stored results */
  results: number;
  /** windows scored and stored (run_windows): what a window-major run cut off before its end kept */
  windows: number;
}

const numOrNull = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Every evaluation run, newest first. */
export async function listEvalRuns(store: Store): Promise<EvalRunListRow[]> {
  const rows = await store.query<{ run_id: string; status: string; started_at: string | null; finished_at: string | null; spec: string | null; params: unknown; source: string | null; name: string | null; results: number; windows: number }>(
    `SELECT r.run_id, r.status, r.started_at, r.finished_at, r.spec, r.params, m.source, m.name,
       CAST((SELECT count(DISTINCT x.spec) FROM run_results x WHERE x.run_id = r.run_id) AS INTEGER) AS results,
       CAST((SELECT count(DISTINCT w.window_index) FROM run_windows w WHERE w.run_id = r.run_id) AS INTEGER) AS windows
     FROM runs r LEFT JOIN models m ON m.model_id = r.model_id
     WHERE r.kind = 'eval' ORDER BY r.started_at DESC, r.run_id`);
  return rows.map((r) => {
    const p = (typeof r.params === "string" ? JSON.parse(r.params) : r.params ?? {}) as Record<string, unknown>;
    const specs = Array.isArray(p.specs) ? p.specs.map(String) : (r.spec ?? "").split(",").filter(Boolean);
    return {
      run_id: r.run_id, status: r.status, started_at: r.started_at, finished_at: r.finished_at,
      model: r.source ?? (typeof p.model === "string" ? p.model : null) ?? r.name, specs,
      documents: numOrNull(p.documents), tokens: numOrNull(p.tokens),
      text_sha256: typeof p.text_sha256 === "string" ? p.text_sha256 : null, results: Number(r.results), windows: Number(r.windows),
    };
  });
}

/** Replaces a run's params (e.g. once the token count is known). */
export async function setRunParams(store: Store, runId: string, params: Record<string, unknown>): Promise<void> {
  await store.query(sql`UPDATE runs SET params = ${JSON.stringify(params)} WHERE run_id = ${runId}`);
}

/** The ids of runs still marked running: in a page that just opened the store, runs a closed tab left behind. */
export async function runningRunIds(store: Store): Promise<string[]> {
  return (await store.query<{ run_id: string }>("SELECT run_id FROM runs WHERE status = 'running'")).map((r) => r.run_id);
}

/** Deletes one run and every row that hangs from it (its model and tensors stay: other runs may use them). */
export async function deleteRun(store: Store, runId: string): Promise<void> {
  for (const table of ["run_results", "run_windows", "quant_errors", "channel_stats", "tensor_stats", "runs"] as const) {
    await store.query(`DELETE FROM ${table} WHERE run_id = ?`, [runId]);
  }
}
