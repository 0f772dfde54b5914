/** For `quantlens report <model>`: the model's statistics from the store, computed and stored first when it has none. */
import { modelIdOf } from "../formats/model-id.ts";
import { openModel } from "../formats/open.ts";
import type { TensorSource } from "../formats/types.ts";
import { nodeRuntime } from "../formats/open-node.ts";
import { modelStats } from "../stats/engine/model-stats.ts";
import type { Store } from "../store/store.ts";
import { finishRun, saveModel, saveTensorStats, saveTensors, startRun } from "../store/queries.ts";
import { REPORT_QUERIES } from "../store/report-queries.ts";
import { VERSION } from "../version.ts";
import { nodeFileHashes } from "../formats/file-hashes-node.ts";
import type { Effects } from "./effects.ts";
import type { CliOptions } from "./main.ts";
import { ProgressBar } from "./progress.ts";

/**
 * Opens `model`, records it, and runs its statistics into `store` unless a finished run exists;
 * `also` reads the open model first (the predicted sensitivity). Returns the model id.
 */
export async function ensureStats(store: Store, model: string, opts: Pick<CliOptions, "progress">, fx: Effects,
  also?: (source: TensorSource, modelId: string) => Promise<void>): Promise<string> {
  const source = await openModel(model, { runtime: nodeRuntime });
  try {
    const modelId = modelIdOf(source);
    await also?.(source, modelId);
    await saveModel(store, modelId, source, model);
    await saveTensors(store, modelId, source.tensors);
    const done = await store.queryRow<{ run_id: string }>(REPORT_QUERIES.latest_stats_run, [modelId]);
    if (done) {
      fx.err(`quantlens: reusing statistics run ${done.run_id}\n`);
      return modelId;
    }
    fx.err(`quantlens: computing statistics of ${source.tensors.length} tensors\n`);
    const files = await nodeFileHashes(source);
    const runId = await startRun(store, { modelId, kind: "stats", toolVersion: VERSION, params: { model, by: "report", files } });
    const bar = new ProgressBar(fx, source.tensors.reduce((s, t) => s + t.byteLength, 0), source.tensors.length, opts.progress && fx.isTTY);
    try {
      for await (const s of modelStats(source, source.tensors, { onProgress: (b, n, name) => bar.update(b, n, name) })) {
        await saveTensorStats(store, runId, modelId, s);
      }
      await finishRun(store, runId, "done");
    } catch (e) {
      await finishRun(store, runId, "failed");
      throw e;
    } finally {
      bar.done();
    }
    return modelId;
  } finally {
    await source.close();
  }
}
