/** Named reads and writes of evaluation results (run_results), one row per (run, spec, metric). */
import { named } from "./queries.ts";
import { sql, type Store } from "./store.ts";

/** One stored metric of one spec. */
export interface RunResultRow { run_id: string; spec: string; metric: string; value: number | null; tokens: number | null }

/** Appends every metric of one finished spec (an interrupted run keeps the specs it finished). */
export function saveRunResults(store: Store, runId: string, spec: string, metrics: Record<string, number | null>, tokens: number): Promise<void> {
  return named(`saveRunResults(${runId}, ${spec})`, async () => {
    const created_at = new Date().toISOString();
    await store.insert("run_results", Object.entries(metrics).map(([metric, value]) => ({
      run_id: runId, spec, metric, value: value === null || Number.isFinite(value) ? value : null, tokens, created_at,
    })));
  });
}

/** A run's results, in the order they were stored. */
export function fetchRunResults(store: Store, runId: string): Promise<RunResultRow[]> {
  return named(`fetchRunResults(${runId})`, async () => {
    const rows = await store.query<RunResultRow>(sql`SELECT run_id, spec, metric, value, CAST(tokens AS DOUBLE) AS tokens FROM run_results WHERE run_id = ${runId} ORDER BY created_at, spec, metric`);
    return rows.map((r) => ({ ...r, tokens: r.tokens === null ? null : Number(r.tokens) }));
  });
}
