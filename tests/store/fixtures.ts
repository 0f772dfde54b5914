/** Hand-written store fixtures: TensorStats small enough to check by eye, and a tiny tensor inventory. */
import type { TensorInfo } from "../../lib/formats/types.ts";
import type { TensorStats } from "../../lib/stats/types.ts";
import { finishRun, saveModel, saveTensors, saveTensorStats, startRun } from "../../lib/store/queries.ts";
import type { Store } from "../../lib/store/store.ts";

/** A Llama-style linear weight's stats with channel profiles and a histogram. */
export function linearStats(layer: number, module = "self_attn.q_proj", absmax = 4.5): TensorStats {
  return {
    name: `model.layers.${layer}.${module}.weight`,
    shape: [8, 6],
    dtype: "BF16",
    numel: 48,
    count: 48,
    absmax,
    mean: -0.015625,
    std: 0.7071067811865476,
    kurtosis: 7.25,
    min: -1.25,
    max: absmax,
    nan_count: 0,
    inf_count: 0,
    zero_count: 3,
    outlier_fraction: 1 / 48,
    absmax_over_std: absmax / 0.7071067811865476,
    histogram: { edges: [-1.25, 0.1, 1.45, 2.8, 4.5], counts: [20, 25, 2, 1] },
    channels: {
      cols: { channels: 6, bucketSize: 2, absmax: [0.5, absmax, 0.75], top: [[2, absmax], [5, 0.75]], median: 0.625 },
      rows: { channels: 8, bucketSize: 4, absmax: [absmax, 1.125], top: [[1, absmax]], median: 1 },
    },
  };
}

/** A norm weight: constant, so std = 0 and kurtosis, absmax_over_std are null; no channel profiles. */
export function constantStats(name = "model.norm.weight"): TensorStats {
  return {
    name, shape: [6], dtype: "F32", numel: 6, count: 6, absmax: 1, mean: 1, std: 0, kurtosis: null, min: 1, max: 1,
    nan_count: 0, inf_count: 0, zero_count: 0, outlier_fraction: 0, absmax_over_std: null, histogram: null,
  };
}

/** Stats of a tensor whose values were all NaN: every moment null. */
export function emptyStats(name = "lm_head.weight"): TensorStats {
  return {
    name, shape: [3, 2], dtype: "F16", numel: 6, count: 0, absmax: null, mean: null, std: null, kurtosis: null, min: null,
    max: null, nan_count: 6, inf_count: 0, zero_count: 0, outlier_fraction: null, absmax_over_std: null, histogram: null,
  };
}

/** A two-layer inventory in Hugging Face names. */
export function inventory(): TensorInfo[] {
  const names = ["model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.1.mlp.down_proj.weight", "lm_head.weight"];
  return names.map((name, i) => ({
    name, fileName: name, dtype: "F32", shape: [8, 6], numel: 48, shard: 0, byteOffset: i * 192, byteLength: 192,
  }));
}

/** Records model `modelId` ("tiny", [8, 6] F32 weights named after `stats`) and one finished stats run of them; returns the run id. */
export async function seedStatsRun(store: Store, stats: TensorStats[], modelId = "m1"): Promise<string> {
  const tensors = stats.map((s): TensorInfo => ({ name: s.name, fileName: s.name, dtype: "F32", shape: [8, 6], numel: 48, shard: 0, byteOffset: 0, byteLength: 192 }));
  const source = { format: "safetensors" as const, name: "tiny", tensors, config: { architecture: "llama" } };
  await saveModel(store, modelId, source, "local:tiny");
  await saveTensors(store, modelId, tensors);
  const runId = await startRun(store, { modelId, kind: "stats", toolVersion: "test" });
  for (const s of stats) await saveTensorStats(store, runId, modelId, s);
  await finishRun(store, runId, "done");
  return runId;
}
