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

/** Latest measured KL / top-1 / perplexity per spec over a model's eval runs (the user's own measurements). */
export interface MeasuredSpecRow { spec: string; kl: number | null; top1_agreement: number | null; ppl: number | null; run_id: string }

/** For each spec the model was evaluated at, its metrics from the newest run that has them. */
export function fetchMeasuredSpecs(store: Store, modelId: string): Promise<MeasuredSpecRow[]> {
  return named(`fetchMeasuredSpecs(${modelId})`, () => store.query<MeasuredSpecRow>(sql`
    WITH m AS (
      SELECT rr.run_id, rr.spec, rr.metric, rr.value, r.started_at, rr.created_at
      FROM run_results rr JOIN runs r ON r.run_id = rr.run_id
      WHERE r.model_id = ${modelId} AND r.kind = 'eval'
    ), latest AS (
      SELECT spec, arg_max(run_id, coalesce(started_at, created_at)) AS run_id FROM m GROUP BY spec
    )
    SELECT l.spec, l.run_id,
      max(m.value) FILTER (WHERE m.metric = 'kl') AS kl,
      max(m.value) FILTER (WHERE m.metric = 'top1_agreement') AS top1_agreement,
      max(m.value) FILTER (WHERE m.metric = 'ppl') AS ppl
    FROM latest l JOIN m ON m.run_id = l.run_id AND m.spec = l.spec
    GROUP BY l.spec, l.run_id ORDER BY l.spec`));
}

/** Activation (`*.input`) and KV (`*_cache`) site statistics a calibration stored for a model (newest run's). */
export function fetchCalibrationSites(store: Store, modelId: string): Promise<Array<{ name: string; absmax_over_std: number | null }>> {
  return named(`fetchCalibrationSites(${modelId})`, () => store.query(sql`
    WITH s AS (
      SELECT t.name, t.absmax_over_std, r.started_at, r.run_id FROM tensor_stats t JOIN runs r ON r.run_id = t.run_id
      WHERE r.model_id = ${modelId} AND r.kind = 'eval' AND (t.name LIKE '%.input' OR t.name LIKE '%\\_cache' ESCAPE '\\')
    )
    SELECT name, absmax_over_std FROM s WHERE run_id = (SELECT arg_max(run_id, started_at) FROM s) ORDER BY name`));
}
