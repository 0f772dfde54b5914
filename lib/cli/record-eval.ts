/**
 * Appends an eval run to a DuckDB file as it goes: each scored window's sums (run_windows, batched:
 * at most WINDOW_FLUSH_MS old when the process dies) and each finished spec's results. An
 * interrupted run keeps the specs it finished and, for the rest, the windows it scored.
 */
import type { RunRecorder } from "./with-recorder.ts";
import type { EvalResult } from "../eval/metrics.ts";
import type { TensorSource } from "../formats/types.ts";
import { saveRunResults } from "../store/eval-queries.ts";
import { saveRunWindows, type WindowSumsRow } from "../store/window-queries.ts";
import { openNodeStore } from "../store/node.ts";
import type { Store } from "../store/store.ts";
import { modelIdOf } from "../formats/model-id.ts";
import { finishRun, saveModel, saveTensorStats, saveTensors, startRun } from "../store/queries.ts";
import { noteInterrupted } from "./record.ts";
import type { ChoiceResult } from "../eval/multiple-choice.ts";
import type { TensorStats } from "../stats/types.ts";
import { VERSION } from "../version.ts";

export interface EvalRecorder extends RunRecorder {
  /** a finished spec's results (the scored windows still buffered are written first) */
  add(spec: string, r: EvalResult & Partial<ChoiceResult>): Promise<void>;
  /** one scored window of one spec, buffered and written at most WINDOW_FLUSH_MS later */
  addWindow(row: WindowSumsRow): void;
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

/** the longest a scored window waits in memory before it is written (what a killed run can lose) */
export const WINDOW_FLUSH_MS = 1000;

async function startRecording(store: Store, source: TensorSource, model: string, params: Record<string, unknown>): Promise<EvalRecorder> {
  const modelId = modelIdOf(source);
  await saveModel(store, modelId, source, model);
  await saveTensors(store, modelId, source.tensors);
  const runId = await startRun(store, { modelId, kind: "eval", toolVersion: VERSION, params: { model, ...params } });
  // windows are written in order, one batch at a time, on one promise chain
  let buffered: WindowSumsRow[] = [];
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): Promise<void> => {
    if (timer) { clearTimeout(timer); timer = null; }
    const batch = buffered;
    buffered = [];
    chain = chain.then(() => saveRunWindows(store, runId, batch));
    return chain;
  };
  return {
    add: async (spec, r) => {
      await flush();
      await saveRunResults(store, runId, spec, {
        ppl: r.ppl, mean_nll: r.mean_nll, kl: r.kl, top1_agreement: r.top1_agreement,
        ...(r.mc_items ? { mc_accuracy: r.mc_accuracy!, mc_accuracy_norm: r.mc_accuracy_norm! } : {}),
      }, r.tokens);
    },
    addWindow: (row) => {
      buffered.push(row);
      timer ??= setTimeout(() => { flush().catch(() => undefined); }, WINDOW_FLUSH_MS);
    },
    addStats: async (stats) => { for (const s of stats) await saveTensorStats(store, runId, modelId, s); },
    finish: async (status) => { await flush().catch(() => undefined); await finishRun(store, runId, status); },
    close: async () => { await flush().catch(() => undefined); await store.close(); },
  };
}
