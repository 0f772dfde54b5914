/**
 * lib/store/eval-run-queries.ts and lib/web/eval-run-view.ts: an evaluation run is listed with its
 * model, specs, text summary (documents, tokens, sha256 of the text), status and results; it
 * travels in a bundle and reads back as the same results table rows; a run left "running" is
 * found; deleting a run removes every row that hangs from it and nothing else.
 */
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../lib/formats/sha256.ts";
import { collectRunRows, importBundle, readBundle, writeBundle } from "../../lib/share/bundle.ts";
import { saveRunResults } from "../../lib/store/eval-queries.ts";
import { deleteRun, listEvalRuns, runningRunIds, setRunParams } from "../../lib/store/eval-run-queries.ts";
import { finishRun, saveModel, startRun } from "../../lib/store/queries.ts";
import type { Store } from "../../lib/store/store.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import { evalRunView } from "../../lib/web/eval-run-view.ts";

const TEXT = "Once upon a time.\n<|endoftext|>\nThe end.";
const M = (ppl: number) => ({ ppl, mean_nll: Math.log(ppl), kl: ppl === 5 ? 0 : 0.02, top1_agreement: ppl === 5 ? 1 : 0.93 });

/** An evaluation run of two specs as eval-client.ts records it; returns its id. */
async function evalRun(store: Store, status: "done" | "running"): Promise<string> {
  await saveModel(store, "m1", { format: "gguf", name: "stories260K.gguf", tensors: [], config: { architecture: "llama" } }, "local:stories260K.gguf");
  const params = { model: "local:stories260K.gguf", specs: ["FP32", "W8"], documents: 2, tokens: null as number | null, text_sha256: sha256Hex(TEXT) };
  const runId = await startRun(store, { modelId: "m1", kind: "eval", toolVersion: "test", spec: "FP32,W8", params });
  await setRunParams(store, runId, { ...params, tokens: 17 });
  await saveRunResults(store, runId, "FP32", M(5), 17);
  if (status === "done") {
    await saveRunResults(store, runId, "W8", M(5.05), 17);
    await finishRun(store, runId, "done");
  }
  return runId;
}

describe("evaluation runs in the store", () => {
  it("are listed with model, specs, text summary, status and results, and travel in a bundle", async () => {
    const store = await openWasmNodeStore();
    const fresh = await openWasmNodeStore();
    try {
      const runId = await evalRun(store, "done");
      const [row] = await listEvalRuns(store);
      expect(row).toMatchObject({
        run_id: runId, status: "done", model: "local:stories260K.gguf", specs: ["FP32", "W8"],
        documents: 2, tokens: 17, text_sha256: sha256Hex(TEXT), results: 2,
      });
      expect(row!.text_sha256).toMatch(/^[0-9a-f]{64}$/);
      const { rows } = await readBundle(await writeBundle(store, runId, "quantlens test"));
      await importBundle(fresh, rows);
      const view = evalRunView(rows);
      expect(view.results.map((r) => [r.spec, r.ppl, r.tokens])).toEqual([["FP32", 5, 17], ["W8", 5.05, 17]]);
      expect(view.results[1]!.kl).toBeCloseTo(0.02, 12);
      expect(view).toMatchObject({ runId, model: "local:stories260K.gguf", documents: 2, tokens: 17, textSha256: sha256Hex(TEXT) });
      expect(evalRunView((await collectRunRows(fresh, runId)).rows)).toEqual(view);
      expect((await listEvalRuns(fresh))[0]).toEqual(row);
    } finally {
      await store.close();
      await fresh.close();
    }
  }, 60_000);

  it("a run left running is found, keeps what it finished, and deleting it leaves the other run whole", async () => {
    const store = await openWasmNodeStore();
    try {
      const done = await evalRun(store, "done");
      const left = await evalRun(store, "running");
      expect(await runningRunIds(store)).toEqual([left]);
      expect((await listEvalRuns(store)).find((r) => r.run_id === left)).toMatchObject({ status: "running", results: 1 });
      await deleteRun(store, left);
      expect((await listEvalRuns(store)).map((r) => r.run_id)).toEqual([done]);
      expect(await store.query("SELECT * FROM run_results WHERE run_id = ?", [left])).toEqual([]);
      expect(await store.query("SELECT * FROM run_results WHERE run_id = ?", [done])).toHaveLength(8);
    } finally {
      await store.close();
    }
  }, 60_000);
});
