/** Named reads of stored runs for the dashboard and result bundles (all their SQL lives here). */
import { exportSelect } from "./parquet.ts";
import type { Row, Store } from "./store.ts";
import type { TableName } from "./tables.ts";
import { displayStatus } from "./live-runs.ts";

/** Writes the database's WAL into its file (OPFS in the browser) so a reload finds every row. */
export async function checkpoint(store: Store): Promise<void> {
  await store.exec("CHECKPOINT");
}

/** One line of the Runs list. */
export interface RunListRow {
  run_id: string; status: string; started_at: string | null; finished_at: string | null;
  name: string | null; source: string | null; format: string | null; tensors: number; n_tensors: number | null;
}

/** Every statistics run, newest first, with its model and how many tensors it stored. */
export function listStatsRuns(store: Store): Promise<RunListRow[]> {
  return store.query<RunListRow>(
    `SELECT r.run_id, r.status, r.started_at, r.finished_at, m.name, m.source, m.format, m.n_tensors,
       CAST((SELECT count(*) FROM tensor_stats s WHERE s.run_id = r.run_id) AS INTEGER) AS tensors
     FROM runs r LEFT JOIN models m ON m.model_id = r.model_id
     WHERE r.kind = 'stats' ORDER BY r.started_at DESC, r.run_id`)
    .then((rows) => rows.map((r) => ({ ...r, status: displayStatus(r.status, r.run_id) }))); // a killed tab or CLI: "interrupted"
}

/** The latest finished statistics run of what the user opened as `source` (models.source), if any. */
export async function latestStatsRunOf(store: Store, source: string): Promise<string | null> {
  const r = await store.queryRow<{ run_id: string }>(
    `SELECT r.run_id FROM runs r JOIN models m ON m.model_id = r.model_id
     WHERE m.source = ? AND r.status = 'done' AND r.kind = 'stats' ORDER BY r.started_at DESC LIMIT 1`, [source]);
  return r?.run_id ?? null;
}

/** The model of run `runId`: its id ("" when the run has none), or undefined when there is no such run. */
export async function runModelId(store: Store, runId: string): Promise<string | undefined> {
  const run = await store.queryRow<{ model_id: string | null }>("SELECT model_id FROM runs WHERE run_id = ?", [runId]);
  return run ? run.model_id ?? "" : undefined;
}

/**
 * One run's rows of `table` in exportSelect form (timestamps as epoch microseconds): models and
 * tensors by the run's model, every other table by the run itself.
 */
export function runRowsOf(store: Store, table: TableName, runId: string, modelId: string): Promise<Row[]> {
  const key = runKeyOf(table);
  return store.query(`${exportSelect(table)} WHERE ${key} = ?`, [key === "model_id" ? modelId : runId]);
}

/** The column that ties a row of `table` to one run: models and tensors hang from the model. */
export function runKeyOf(table: TableName): "run_id" | "model_id" {
  return table === "models" || table === "tensors" ? "model_id" : "run_id";
}
