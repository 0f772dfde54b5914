/**
 * The embedded demo written into a store as the runs it came from: its model and tensor inventory,
 * a statistics run (tensor_stats, channel_stats) and, when it carries one, its evaluation run
 * (run_results), through the same write functions the CLI and the dashboard record with. The
 * dashboard reports the demo from such a store (a private in-memory one), so the Report tab has
 * the demo's outliers and measured damage with no weights loaded.
 *
 * Limits of the round trip: the demo keeps per-channel profiles max-pooled to MAX_CHANNEL_POINTS
 * (stories260K's widest axis is 512 channels: not pooled, so exact) and each channel profile's
 * median is recomputed from the profile (exact when not pooled); byte offsets are synthetic, laid
 * out in tensor order as F32 (a tied lm_head shares the embedding's bytes, as in the file).
 */
import type { ModelAnalysis } from "../analysis/types.ts";
import type { TensorRow } from "../analysis/schema.ts";
import type { ModelConfig, ModelFormat, TensorInfo } from "../formats/types.ts";
import type { DType } from "../tensor/dtypes.ts";
import type { ChannelProfile, TensorStats } from "../stats/types.ts";
import { saveRunResults } from "../store/eval-queries.ts";
import { finishRun, saveModel, saveTensors, saveTensorStats, startRun } from "../store/queries.ts";
import type { Store } from "../store/store.ts";
import { VERSION } from "../version.ts";

/** The ids the demo goes by in a store (models.source is the dashboard's id, "demo"). */
export const DEMO_STORE = { modelId: "demo-stories260K", statsRun: "demo-stats", evalRun: "demo-eval" } as const;

const BYTES_PER_ELEMENT = 4; // the demo's tensors are F32 (model.byDtype)

/** Median of the profile's values. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The tensor inventory with synthetic, consistent byte ranges. */
export function demoTensorInfos(a: ModelAnalysis): TensorInfo[] {
  const tied = a.model.config.tiedEmbeddings === true;
  let offset = 0;
  const infos = a.tensors.map((t): TensorInfo => {
    const byteLength = t.numel * BYTES_PER_ELEMENT;
    const info = { name: t.name, fileName: t.name, dtype: t.dtype as DType, shape: t.shape, numel: t.numel, shard: 0, byteOffset: offset, byteLength };
    offset += byteLength;
    return info;
  });
  const embed = infos.find((t) => t.name === "model.embed_tokens.weight");
  const head = infos.find((t) => t.name === "lm_head.weight");
  if (tied && embed && head) head.byteOffset = embed.byteOffset;
  return infos;
}

const profile = (channels: number, stride: number, absmax: number[], top: Array<[number, number]> | null): ChannelProfile =>
  ({ channels, bucketSize: stride, absmax, top: top ?? [], median: median(absmax) });

/** One tensor's statistics as the engine returned them (TensorStats), from the demo's row, channels and histogram. */
export function demoTensorStats(a: ModelAnalysis, t: TensorRow): TensorStats {
  const h = a.histograms[t.name];
  const c = a.channels[t.name];
  const s: TensorStats = {
    name: t.name, shape: t.shape, dtype: t.dtype, numel: t.numel, count: t.numel - t.nan_count - t.inf_count,
    absmax: t.absmax, mean: t.mean, std: t.std, kurtosis: t.kurtosis, min: t.min, max: t.max,
    nan_count: t.nan_count, inf_count: t.inf_count, zero_count: t.zero_count, outlier_fraction: t.outlier_fraction, absmax_over_std: t.absmax_over_std,
    histogram: h ? { edges: h.counts.map((_, i) => h.lo + ((h.hi - h.lo) * i) / h.counts.length).concat(h.hi), counts: h.counts } : null,
  };
  if (c && t.shape.length === 2) {
    s.channels = {
      cols: profile(t.shape[1]!, c.inputStride, c.input, t.top_input_channels),
      rows: profile(t.shape[0]!, c.outputStride, c.output, t.top_output_channels),
    };
  }
  return s;
}

/** Writes the demo's model, statistics run and evaluation run into `store` (an empty one). */
export async function seedDemoStore(store: Store, a: ModelAnalysis): Promise<void> {
  const { modelId, statsRun, evalRun } = DEMO_STORE;
  const tensors = demoTensorInfos(a);
  await saveModel(store, modelId, { name: a.model.name, format: a.model.format as ModelFormat, tensors, config: a.model.config as unknown as ModelConfig }, a.id);
  await saveTensors(store, modelId, tensors);
  await startRun(store, { modelId, kind: "stats", toolVersion: VERSION, spec: a.id, runId: statsRun, params: { generated_by: a.generatedBy } });
  for (const t of a.tensors) await saveTensorStats(store, statsRun, modelId, demoTensorStats(a, t));
  await finishRun(store, statsRun, "done");
  if (!a.measured) return;
  await startRun(store, { modelId, kind: "eval", toolVersion: VERSION, spec: a.id, runId: evalRun,
    params: { generated_by: a.measured.generatedBy, text: a.measured.text.file, documents: a.measured.text.documents, specs: a.measured.results.map((r) => r.spec) } });
  for (const r of a.measured.results) await saveRunResults(store, evalRun, r.spec, { ppl: r.ppl, mean_nll: r.mean_nll, kl: r.kl, top1_agreement: r.top1_agreement }, r.tokens);
  await finishRun(store, evalRun, "done");
}
