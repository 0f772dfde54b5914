/** Appends an eval run to a DuckDB file spec by spec: an interrupted run keeps the specs it finished. */
import type { RunRecorder } from "./with-recorder.ts";
import type { EvalResult } from "../eval/metrics.ts";
import type { TensorSource } from "../formats/types.ts";
import { saveRunResults } from "../store/eval-queries.ts";
import { openNodeStore } from "../store/node.ts";
import type { Store } from "../store/store.ts";
import { modelIdOf } from "../formats/model-id.ts";
import { finishRun, saveModel, saveTensorStats, saveTensors, startRun } from "../store/queries.ts";
import { noteInterrupted } from "./record.ts";
import type { ChoiceResult } from "../eval/multiple-choice.ts";
import type { TensorStats } from "../stats/types.ts";
import { VERSION } from "../version.ts";

export interface EvalRecorder extends RunRecorder {
  add(spec: string, r: EvalResult & Partial<ChoiceResult>): Promise<void>;
  /** activation / KV statistics of the calibration, stored as tensor_stats rows of this run */
  addStats(stats: TensorStats[]): Promise<void>;
}

/** Opens (or creates) `dbPath`, records the model, and starts an eval run with `params`. */
export async function recordEval(dbPath: string, source: TensorSource, model: string, params: Record<string, unknown>, note?: (line: string) => void): Promise<EvalRecorder> {
  const store = await openNodeStore(dbPath);
  try {
    await noteInterrupted(store, dbPath, note);
    return await startRecording(store, source, model, params);
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
}

async function startRecording(store: Store, source: TensorSource, model: string, params: Record<string, unknown>): Promise<EvalRecorder> {
  const modelId = modelIdOf(source);
  await saveModel(store, modelId, source, model);
  await saveTensors(store, modelId, source.tensors);
  const runId = await startRun(store, { modelId, kind: "eval", toolVersion: VERSION, params: { model, ...params } });
  return {
    add: (spec, r) => saveRunResults(store, runId, spec, {
      ppl: r.ppl, mean_nll: r.mean_nll, kl: r.kl, top1_agreement: r.top1_agreement,
      ...(r.mc_items ? { mc_accuracy: r.mc_accuracy!, mc_accuracy_norm: r.mc_accuracy_norm! } : {}),
    }, r.tokens),
    addStats: async (stats) => { for (const s of stats) await saveTensorStats(store, runId, modelId, s); },
    finish: (status) => finishRun(store, runId, status),
    close: () => store.close(),
  };
}
