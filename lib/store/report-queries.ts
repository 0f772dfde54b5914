/**
 * The named queries a report is built from (STYLE.md "reports": every number traces back to one of
 * these by name). Plain DuckDB SQL with `?` parameters and no extension functions (no json), so the
 * same text runs in Node DuckDB and duckdb-wasm. JSON columns come back as text; callers parse them.
 */

/** Module kinds whose input is the residual stream (their input channels are the hidden dimensions). */
const RESIDUAL_INPUT_MODULES = "('q', 'k', 'v', 'gate', 'up')";
/** Tensors weight quantization touches (DESIGN.md: every linear layer except lm_head). */
const LINEAR_MODULES = "('q', 'k', 'v', 'o', 'gate', 'up', 'down')";

/** Tensor statistics of run ? joined with the inventory of their model (layer, module). */
const STATS_WITH_MODULE = `tensor_stats s JOIN tensors t ON t.model_id = s.model_id AND t.name = s.name WHERE s.run_id = ?`;

export const REPORT_QUERIES = {
  /** params: run_id */
  run: `SELECT run_id, model_id, kind, spec, tool_version, started_at, finished_at, status, params FROM runs WHERE run_id = ?`,
  /** params: model_id */
  model: `SELECT model_id, name, format, source, architecture, config, params, bytes, n_tensors, created_at FROM models WHERE model_id = ?`,
  /** params: model_id. The latest finished statistics run of a model. */
  latest_stats_run: `SELECT run_id FROM runs WHERE model_id = ? AND kind = 'stats' AND status = 'done' ORDER BY started_at DESC, run_id LIMIT 1`,
  /** params: model_id. Tensors and bytes per dtype, storage shared by several names (a tied lm_head) counted once. */
  dtype_totals: `SELECT dtype, CAST(count(*) AS INTEGER) AS tensors, CAST(sum(numel) AS BIGINT) AS params, CAST(sum(byte_length) AS BIGINT) AS bytes
    FROM (SELECT *, row_number() OVER (PARTITION BY shard, byte_offset, byte_length ORDER BY name) AS copy FROM tensors WHERE model_id = ?)
    WHERE copy = 1 OR byte_offset IS NULL GROUP BY dtype ORDER BY bytes DESC, dtype`,
  /** params: model_id. Every tensor's name and shape (the memory calculator picks the quantized linears). */
  tensor_shapes: `SELECT name, shape FROM tensors WHERE model_id = ? ORDER BY name`,
  /** params: run_id, limit. The 2-D tensors with the heaviest tails. */
  top_tensors_by_kurtosis: `SELECT s.name, t.layer, t.module, s.kurtosis, s.absmax_over_std, s.absmax, s.std, s.outlier_fraction
    FROM ${STATS_WITH_MODULE} AND len(s.shape) = 2 AND s.kurtosis IS NOT NULL ORDER BY s.kurtosis DESC, s.name LIMIT ?`,
  /** params: run_id, limit. The 2-D tensors whose largest value stands furthest from their spread. */
  top_tensors_by_absmax_std: `SELECT s.name, t.layer, t.module, s.absmax_over_std, s.kurtosis, s.absmax, s.std
    FROM ${STATS_WITH_MODULE} AND len(s.shape) = 2 AND s.absmax_over_std IS NOT NULL ORDER BY s.absmax_over_std DESC, s.name LIMIT ?`,
  /** params: run_id. Per module kind of the quantized linears: kurtosis and absmax/std over the layers. */
  module_outliers: `SELECT t.module, CAST(count(*) AS INTEGER) AS tensors, avg(s.kurtosis) AS mean_kurtosis, max(s.kurtosis) AS max_kurtosis,
      avg(s.absmax_over_std) AS mean_absmax_std, max(s.absmax_over_std) AS max_absmax_std
    FROM ${STATS_WITH_MODULE} AND t.module IN ${LINEAR_MODULES} GROUP BY t.module ORDER BY max_kurtosis DESC NULLS LAST, t.module`,
  /** params: run_id. Per layer: the largest kurtosis and absmax/std of its quantized linears. */
  layer_outliers: `SELECT t.layer, max(s.kurtosis) AS max_kurtosis, arg_max(t.module, s.kurtosis) AS kurtosis_module,
      max(s.absmax_over_std) AS max_absmax_std, arg_max(t.module, s.absmax_over_std) AS absmax_std_module
    FROM ${STATS_WITH_MODULE} AND t.layer IS NOT NULL AND t.module IN ${LINEAR_MODULES} GROUP BY t.layer ORDER BY t.layer`,
  /** params: run_id. Kurtosis of every quantized linear (one per layer and module), for the layer x module heatmap. */
  layer_module_kurtosis: `SELECT t.layer, t.module, s.name, s.kurtosis AS value
    FROM ${STATS_WITH_MODULE} AND t.layer IS NOT NULL AND t.module IN ${LINEAR_MODULES} ORDER BY t.layer, t.module, s.name`,
  /**
   * params: run_id, top_k, limit. Input channels (column buckets) among the top_k largest absmax of
   * the residual-stream linears, counted over tensors and layers; ratio = channel absmax / the
   * tensor's median channel absmax.
   */
  dominant_input_channels: `WITH cols AS (
      SELECT c.name, t.layer, c.bucket_size, c.median, unnest(c.absmax) AS v, generate_subscripts(c.absmax, 1) - 1 AS bucket
      FROM channel_stats c JOIN tensors t ON t.model_id = c.model_id AND t.name = c.name
      WHERE c.run_id = ? AND c.axis = 'col' AND t.module IN ${RESIDUAL_INPUT_MODULES}),
    ranked AS (SELECT *, row_number() OVER (PARTITION BY name ORDER BY v DESC, bucket) AS rank FROM cols)
    SELECT CAST(bucket * bucket_size AS INTEGER) AS first_channel, bucket_size, CAST(count(*) AS INTEGER) AS tensors,
      CAST(count(DISTINCT layer) AS INTEGER) AS layers, avg(v / median) AS mean_ratio, max(v / median) AS max_ratio
    FROM ranked WHERE rank <= ? AND median > 0 GROUP BY bucket, bucket_size ORDER BY tensors DESC, mean_ratio DESC, first_channel LIMIT ?`,
  /** params: run_id. The quantized linear with the largest kurtosis, with its histogram (JSON text). */
  worst_tensor_histogram: `SELECT s.name, s.kurtosis, s.mean, s.std, s.absmax, s.count AS n, s.histogram
    FROM ${STATS_WITH_MODULE} AND t.module IN ${LINEAR_MODULES} AND s.kurtosis IS NOT NULL AND s.histogram IS NOT NULL
    ORDER BY s.kurtosis DESC, s.name LIMIT 1`,
  /** params: model_id. The model's evaluation runs that stored results, oldest first, with their params (JSON text). */
  eval_runs_of_model: `SELECT r.run_id, r.status, r.started_at, r.tool_version, r.params FROM runs r
    WHERE r.model_id = ? AND r.kind = 'eval' AND EXISTS (SELECT 1 FROM run_results x WHERE x.run_id = r.run_id)
    ORDER BY r.started_at, r.run_id`,
  /** params: model_id, run_id (NULL: every eval run of the model). One row per spec, from the latest run that measured it. */
  eval_results: `WITH res AS (
      SELECT x.run_id, x.spec, r.started_at, min(x.created_at) AS stored_at,
        max(x.value) FILTER (WHERE x.metric = 'ppl') AS ppl, max(x.value) FILTER (WHERE x.metric = 'mean_nll') AS mean_nll,
        max(x.value) FILTER (WHERE x.metric = 'kl') AS kl, max(x.value) FILTER (WHERE x.metric = 'top1_agreement') AS top1_agreement,
        CAST(max(x.tokens) AS BIGINT) AS tokens
      FROM run_results x JOIN runs r ON r.run_id = x.run_id
      WHERE r.model_id = ? AND r.kind = 'eval' AND (CAST(? AS VARCHAR) IS NULL OR r.run_id = ?) GROUP BY x.run_id, x.spec, r.started_at),
    latest AS (SELECT *, row_number() OVER (PARTITION BY spec ORDER BY started_at DESC, run_id) AS n FROM res)
    SELECT run_id, spec, ppl, mean_nll, kl, top1_agreement, tokens FROM latest WHERE n = 1 ORDER BY started_at, stored_at, spec`,
  /** params: run_id. One run's tensor statistics with each tensor's layer and module (two runs are paired by lib/analysis/compare.ts). */
  run_tensor_stats: `SELECT s.name, t.layer, t.module, s.absmax, s.kurtosis, s.absmax_over_std FROM tensor_stats s
    LEFT JOIN tensors t ON t.model_id = s.model_id AND t.name = s.name WHERE s.run_id = ? ORDER BY s.name`,
} as const;

/** The name of a report query. */
export type ReportQueryName = keyof typeof REPORT_QUERIES;
