/** Appends a stats run to a DuckDB file as it goes: an interrupted run keeps the tensors it finished. */
import type { RunRecorder } from "./with-recorder.ts";
import type { TensorSource } from "../formats/types.ts";
import type { TensorStats } from "../stats/types.ts";
import { openNodeStore } from "../store/node.ts";
import type { Store } from "../store/store.ts";
import { listEvalRuns, type EvalRunListRow } from "../store/eval-run-queries.ts";
import { modelIdOf } from "../formats/model-id.ts";
import { finishRun, saveModel, saveTensorStats, saveTensors, startRun } from "../store/queries.ts";
import { interruptedRuns } from "../store/live-runs.ts";
import { VERSION } from "../version.ts";
import { nodeFileHashes } from "../formats/file-hashes-node.ts";

export interface StatsRecorder extends RunRecorder {
  add(stats: TensorStats): Promise<void>;
}

/** Opens (or creates) `dbPath`, records the model and its inventory, and starts a run. */
export async function recordStats(dbPath: string, source: TensorSource, spec: string, note?: (line: string) => void): Promise<StatsRecorder> {
  const store = await openNodeStore(dbPath);
  try {
    await noteInterrupted(store, dbPath, note);
    return await startRecording(store, source, spec);
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
}

async function startRecording(store: Store, source: TensorSource, spec: string): Promise<StatsRecorder> {
  const modelId = modelIdOf(source);
  await saveModel(store, modelId, source, spec);
  await saveTensors(store, modelId, source.tensors);
  // the exact bytes the statistics describe: the report names each file with its SHA-256
  const files = await nodeFileHashes(source);
  const runId = await startRun(store, { modelId, kind: "stats", toolVersion: VERSION, params: { model: spec, files } });
  return {
    add: (s) => saveTensorStats(store, runId, modelId, s),
    finish: (status) => finishRun(store, runId, status),
    close: () => store.close(),
  };
}

/** One stderr line about runs of `dbPath` that a killed process left running (shown as interrupted). */
export async function noteInterrupted(store: Store, dbPath: string, note?: (line: string) => void): Promise<void> {
  const stale = await interruptedRuns(store);
  if (!stale.length || !note) return;
  const evals = new Map((await listEvalRuns(store)).map((r) => [r.run_id, r]));
  const kept = stale.slice(0, 3).map((id) => `${id}${keptOf(evals.get(id))}`);
  note(`quantlens: note: ${stale.length} earlier run(s) in ${dbPath} were interrupted (left running by a process that ended): ${kept.join(", ")}${stale.length > 3 ? ", ..." : ""}\n`);
}

/** " (kept 2 specs, 17 windows)" for an eval run that stored results or windows; "" otherwise (or a stats run). */
function keptOf(r: EvalRunListRow | undefined): string {
  const specs = r?.results ?? 0, windows = r?.windows ?? 0;
  if (!specs && !windows) return "";
  return ` (kept ${[specs ? `${specs} spec${specs > 1 ? "s" : ""}` : "", windows ? `${windows} window${windows > 1 ? "s" : ""}` : ""].filter(Boolean).join(", ")})`;
}
