/**
 * One builder from the statistics engine's output (TensorStats) to what the dashboard shows
 * (ModelAnalysis): used by the demo builder (Node) and for models opened in the browser.
 */
import { layerOf, moduleOf, type ModuleKind } from "../formats/names.ts";
import type { ModelSummary } from "../formats/summary.ts";
import type { SpecQuantError } from "../quant/whatif.ts";
import type { ChannelProfile, TensorStats } from "../stats/types.ts";
import { VERSION } from "../version.ts";
import { MAX_CHANNEL_POINTS, type ChannelAbsmax, type ModelAnalysis, type TensorHistogram } from "./types.ts";
import type { TensorRow } from "./schema.ts";

/** The table row of one tensor: CONTRACT statistics plus the exact top channels. */
export function tensorRowFromStats(s: TensorStats): TensorRow {
  return {
    name: s.name, shape: s.shape, dtype: s.dtype, numel: s.numel,
    absmax: s.absmax, mean: s.mean, std: s.std, kurtosis: s.kurtosis, min: s.min, max: s.max,
    nan_count: s.nan_count, inf_count: s.inf_count, zero_count: s.zero_count,
    outlier_fraction: s.outlier_fraction, absmax_over_std: s.absmax_over_std,
    top_input_channels: s.channels?.cols.top ?? null,
    top_output_channels: s.channels?.rows.top ?? null,
  };
}

/**
 * Max-pools `values` (each covering `stride` channels) to at most `maxPoints` points; returns the
 * pooled values and the channels each covers. The max is kept, so an outlier channel never vanishes.
 */
export function maxPool(values: readonly number[], stride: number, maxPoints = MAX_CHANNEL_POINTS): { values: number[]; stride: number } {
  if (values.length <= maxPoints) return { values: [...values], stride };
  const k = Math.ceil(values.length / maxPoints);
  const out = new Array<number>(Math.ceil(values.length / k)).fill(0);
  for (let i = 0; i < values.length; i++) {
    const b = (i / k) | 0;
    if (values[i]! > out[b]!) out[b] = values[i]!;
  }
  return { values: out, stride: stride * k };
}

function pooled(p: ChannelProfile): { values: number[]; stride: number } {
  return maxPool(p.absmax, p.bucketSize);
}

/** Per-channel absmax for heatmaps, or null for tensors without channel statistics (1-D). */
export function channelAbsmaxFromStats(s: TensorStats): ChannelAbsmax | null {
  if (!s.channels) return null;
  const input = pooled(s.channels.cols), output = pooled(s.channels.rows);
  return { input: input.values, inputStride: input.stride, output: output.values, outputStride: output.stride };
}

/** The value histogram in the dashboard's form, or null when the tensor has no finite values. */
export function histogramFromStats(s: TensorStats): TensorHistogram | null {
  const h = s.histogram;
  if (!h || h.counts.length === 0 || h.edges.length !== h.counts.length + 1) return null;
  return { lo: h.edges[0]!, hi: h.edges[h.edges.length - 1]!, counts: [...h.counts] };
}

export interface AnalysisOptions {
  /** provenance line shown under the model facts */
  generatedBy?: string;
}

/** Builds the dashboard's view of a model from its summary and every tensor's statistics. */
export function analysisFromStats(
  id: string, summary: ModelSummary, stats: TensorStats[],
  quantErrors: Record<string, SpecQuantError[]> = {}, opts: AnalysisOptions = {},
): ModelAnalysis {
  const channels: Record<string, ChannelAbsmax> = {};
  const histograms: Record<string, TensorHistogram> = {};
  for (const s of stats) {
    const c = channelAbsmaxFromStats(s);
    if (c) channels[s.name] = c;
    const h = histogramFromStats(s);
    if (h) histograms[s.name] = h;
  }
  return {
    id,
    model: {
      name: summary.name, format: summary.format, params: summary.params, bytes: summary.bytes,
      tensorCount: summary.tensorCount, config: { ...summary.config },
      byDtype: summary.byDtype.map((d) => ({ ...d })),
    },
    tensors: stats.map(tensorRowFromStats),
    channels, histograms, quantErrors,
    generatedBy: opts.generatedBy ?? `quantlens ${VERSION} stats on ${summary.name} (${summary.format})`,
  };
}

/** The three specs every table shows: asymmetric RTN at g128, canonical text (lib/quant/spec.ts formatSpec). */
export const TABLE_SPECS = ["W8", "W4", "W3"] as const;

/** SQNR in dB of `spec` for a tensor, or null when it was not computed. */
export function sqnrOf(a: Pick<ModelAnalysis, "quantErrors">, name: string, spec: string): number | null {
  return a.quantErrors[name]?.find((e) => e.spec === spec)?.sqnrDb ?? null;
}

/** A tensor as the table lists it: its row plus where it sits and its SQNR at the table's specs. */
export interface TensorTableRow extends TensorRow {
  layer: number | null;
  module: ModuleKind;
  sqnr_w8: number | null;
  sqnr_w4: number | null;
  sqnr_w3: number | null;
}

/** Table rows of an analysis, in model order. */
export function tensorTableRows(a: Pick<ModelAnalysis, "tensors" | "quantErrors">): TensorTableRow[] {
  return a.tensors.map((t) => ({
    ...t, layer: layerOf(t.name), module: moduleOf(t.name),
    sqnr_w8: sqnrOf(a, t.name, TABLE_SPECS[0]), sqnr_w4: sqnrOf(a, t.name, TABLE_SPECS[1]), sqnr_w3: sqnrOf(a, t.name, TABLE_SPECS[2]),
  }));
}
