/**
 * Named reads and writes over a Store (next-learn lib/data.ts style): callers never write SQL
 * for the common paths, and every failure names the function and its key.
 */
import type { ModelConfig, TensorInfo, TensorSource } from "../formats/types.ts";
import { layerOf, moduleOf } from "../formats/names.ts";
import type { TensorStats } from "../stats/types.ts";
import { sql, StoreError, type Row, type Store } from "./store.ts";
import { statsRows, toTensorStats, type ChannelRow, type StatsRow } from "./stats-rows.ts";
import { displayStatus, markRunLive } from "./live-runs.ts";

export type RunKind = "stats" | "eval" | "quant" | "report";
export type RunStatus = "running" | "done" | "failed" | "cancelled";

/** A run as the UI lists it. */
export interface RunRow {
  run_id: string; model_id: string | null; kind: string; spec: string | null; tool_version: string | null;
  /** as stored, except "interrupted": running in the file, but no live process runs it (live-runs.ts) */
  started_at: string | null; finished_at: string | null; status: RunStatus | "interrupted"; params: unknown; tensors: number;
}

/** One cell of a layer x module heatmap. */
export interface LayerStat { name: string; layer: number; module: string; value: number | null }

/** Numeric tensor_stats columns a heatmap may show (the allow-list for fetchLayerStats). */
export const LAYER_METRICS = ["absmax", "mean", "std", "kurtosis", "min", "max", "outlier_fraction", "absmax_over_std", "nan_count", "inf_count", "zero_count"] as const;
export type LayerMetric = (typeof LAYER_METRICS)[number];

/** Runs `f`; a failure becomes a StoreError that starts with the function's name. */
export async function named<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/^store: /, "") : String(e);
    throw new StoreError(`${what}: ${message}`, { cause: e });
  }
}

type ModelSource = Pick<TensorSource, "format" | "name" | "tensors"> & { config?: ModelConfig };

/** Records a model once (a second save of the same id is ignored); `spec` is what the user typed. */
export function saveModel(store: Store, modelId: string, source: ModelSource, spec: string = source.name): Promise<void> {
  return named(`saveModel(${modelId})`, async () => {
    const params = source.tensors.reduce((n, t) => n + t.numel, 0);
    const bytes = source.tensors.reduce((n, t) => n + t.byteLength, 0);
    await store.insert("models", [{
      model_id: modelId, name: source.name, format: source.format, source: spec, architecture: source.config?.architecture ?? null,
      config: source.config ?? null, params, bytes, n_tensors: source.tensors.length, created_at: new Date().toISOString(),
    }], { onConflict: "ignore" });
  });
}

/** Records a model's tensor inventory, with layer and module derived from the canonical name. */
export function saveTensors(store: Store, modelId: string, tensors: TensorInfo[]): Promise<void> {
  return named(`saveTensors(${modelId})`, async () => {
    const rows: Row[] = tensors.map((t) => ({
      model_id: modelId, name: t.name, file_name: t.fileName, dtype: t.dtype, shape: t.shape, numel: t.numel, shard: t.shard,
      layer: layerOf(t.name), module: moduleOf(t.name), byte_offset: t.byteOffset, byte_length: t.byteLength,
    }));
    await store.insert("tensors", rows, { onConflict: "ignore" });
  });
}

/** Starts a run in status `running` and returns its id. */
export function startRun(
  store: Store,
  run: { modelId: string | null; kind: RunKind; toolVersion: string; spec?: string; params?: unknown; runId?: string },
): Promise<string> {
  const runId = run.runId ?? crypto.randomUUID();
  return named(`startRun(${runId})`, async () => {
    await store.insert("runs", [{
      run_id: runId, model_id: run.modelId, kind: run.kind, spec: run.spec ?? null, tool_version: run.toolVersion,
      started_at: new Date().toISOString(), status: "running", params: run.params ?? null,
    }]);
    markRunLive(runId, true);
    return runId;
  });
}

/** Appends one tensor's statistics (tensor_stats row, then its channel_stats rows) as soon as it is done. */
export function saveTensorStats(store: Store, runId: string, modelId: string | null, stats: TensorStats): Promise<void> {
  return named(`saveTensorStats(${runId}, ${stats.name})`, async () => {
    const { tensor, channels } = statsRows(runId, modelId, stats);
    await store.insert("tensor_stats", [tensor]);
    if (channels.length) await store.insert("channel_stats", channels);
  });
}

/** Marks a run finished with its final status. */
export function finishRun(store: Store, runId: string, status: Exclude<RunStatus, "running">): Promise<void> {
  return named(`finishRun(${runId})`, async () => {
    await store.query(sql`UPDATE runs SET status = ${status}, finished_at = CAST(${new Date().toISOString()} AS TIMESTAMP) WHERE run_id = ${runId}`);
    markRunLive(runId, false);
  });
}

/** Every run, newest first, with the number of tensors it stored; optionally for one model. */
export function fetchRuns(store: Store, modelId?: string): Promise<RunRow[]> {
  return named("fetchRuns", async () => {
    const select = `SELECT r.*, CAST((SELECT count(*) FROM tensor_stats s WHERE s.run_id = r.run_id) AS INTEGER) AS tensors FROM runs r`;
    const order = "ORDER BY r.started_at DESC, r.run_id";
    const rows = modelId === undefined
      ? await store.query<RunRow>(`${select} ${order}`)
      : await store.query<RunRow>(`${select} WHERE r.model_id = ? ${order}`, [modelId]);
    return rows.map((r) => ({ ...r, status: displayStatus(r.status, r.run_id) as RunRow["status"], params: r.params === null ? null : JSON.parse(r.params as string) }));
  });
}

/** A run's statistics as TensorStats (the round trip of saveTensorStats), ordered by name. */
export function fetchTensorStats(store: Store, runId: string): Promise<TensorStats[]> {
  return named(`fetchTensorStats(${runId})`, async () => {
    const stats = await store.query<StatsRow>(sql`SELECT * FROM tensor_stats WHERE run_id = ${runId} ORDER BY name`);
    const channels = await store.query<ChannelRow>(sql`SELECT * FROM channel_stats WHERE run_id = ${runId}`);
    return stats.map((s) => toTensorStats(s, channels.filter((c) => c.name === s.name)));
  });
}

/** One metric per (layer, module) of a run, for heatmaps; tensors outside a layer are left out. */
export function fetchLayerStats(store: Store, runId: string, metric: LayerMetric): Promise<LayerStat[]> {
  return named(`fetchLayerStats(${runId}, ${metric})`, async () => {
    if (!(LAYER_METRICS as readonly string[]).includes(metric)) throw new StoreError(`unknown metric "${metric}"`);
    const rows = await store.query<{ name: string; value: number | null }>(
      `SELECT name, CAST("${metric}" AS DOUBLE) AS value FROM tensor_stats WHERE run_id = ? ORDER BY name`, [runId]);
    return rows
      .map((r) => ({ name: r.name, layer: layerOf(r.name), module: moduleOf(r.name) as string, value: r.value }))
      .filter((r): r is LayerStat => r.layer !== null)
      .sort((a, b) => a.layer - b.layer || a.name.localeCompare(b.name));
  });
}
