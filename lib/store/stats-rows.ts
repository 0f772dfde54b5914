/** TensorStats ⇄ tensor_stats / channel_stats rows: the one mapping both directions use. */
import type { ChannelProfile, Histogram, TensorStats } from "../stats/types.ts";
import { parseJson } from "./plain.ts";
import type { Row } from "./store.ts";

/** A tensor_stats row as read back (plain values, JSON columns still text). */
export interface StatsRow {
  run_id: string; model_id: string | null; name: string; dtype: string | null; shape: number[] | null;
  numel: number; count: number; absmax: number | null; mean: number | null; std: number | null; kurtosis: number | null;
  min: number | null; max: number | null; nan_count: number; inf_count: number; zero_count: number;
  outlier_fraction: number | null; absmax_over_std: number | null; histogram: string | null;
}

/** A channel_stats row as read back. */
export interface ChannelRow {
  run_id: string; name: string; axis: "col" | "row"; channels: number; bucket_size: number;
  absmax: number[]; top: string | null; median: number | null;
}

const profileRow = (runId: string, modelId: string | null, name: string, axis: "col" | "row", p: ChannelProfile): Row => ({
  run_id: runId, model_id: modelId, name, axis, channels: p.channels, bucket_size: p.bucketSize,
  absmax: p.absmax, top: p.top, median: p.median,
});

/** The rows saveTensorStats writes for one tensor. */
export function statsRows(runId: string, modelId: string | null, s: TensorStats): { tensor: Row; channels: Row[] } {
  const tensor: Row = {
    run_id: runId, model_id: modelId, name: s.name, dtype: s.dtype, shape: s.shape, numel: s.numel, count: s.count,
    absmax: s.absmax, mean: s.mean, std: s.std, kurtosis: s.kurtosis, min: s.min, max: s.max,
    nan_count: s.nan_count, inf_count: s.inf_count, zero_count: s.zero_count,
    outlier_fraction: s.outlier_fraction, absmax_over_std: s.absmax_over_std, histogram: s.histogram,
    created_at: new Date().toISOString(),
  };
  const channels = s.channels
    ? [profileRow(runId, modelId, s.name, "col", s.channels.cols), profileRow(runId, modelId, s.name, "row", s.channels.rows)]
    : [];
  return { tensor, channels };
}

const toProfile = (c: ChannelRow): ChannelProfile => ({
  channels: c.channels, bucketSize: c.bucket_size, absmax: c.absmax, top: parseJson<Array<[number, number]>>(c.top) ?? [],
  median: c.median ?? Number.NaN,
});

/** Rows of one tensor back to TensorStats; `channels` only when both axes were stored. */
export function toTensorStats(r: StatsRow, channels: ChannelRow[]): TensorStats {
  const s: TensorStats = {
    name: r.name, shape: r.shape ?? [], dtype: r.dtype ?? "", numel: Number(r.numel), count: Number(r.count),
    absmax: r.absmax, mean: r.mean, std: r.std, kurtosis: r.kurtosis, min: r.min, max: r.max,
    nan_count: Number(r.nan_count), inf_count: Number(r.inf_count), zero_count: Number(r.zero_count),
    outlier_fraction: r.outlier_fraction, absmax_over_std: r.absmax_over_std, histogram: parseJson<Histogram>(r.histogram),
  };
  const cols = channels.find((c) => c.axis === "col");
  const rows = channels.find((c) => c.axis === "row");
  if (cols && rows) s.channels = { cols: toProfile(cols), rows: toProfile(rows) };
  return s;
}
