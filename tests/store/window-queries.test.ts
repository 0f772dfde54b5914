/**
 * lib/store/window-queries.ts: scored windows (run_windows) merge per spec in window order, whatever
 * order they were stored in; they travel in a bundle and go with their run when it is deleted.
 */
import { describe, expect, it } from "vitest";
import { EvalSums } from "../../lib/eval/metrics.ts";
import { importBundle, readBundle, writeBundle } from "../../lib/share/bundle.ts";
import { deleteRun, listEvalRuns } from "../../lib/store/eval-run-queries.ts";
import { saveModel, startRun } from "../../lib/store/queries.ts";
import { fetchWindowResults, saveRunWindows } from "../../lib/store/window-queries.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";

const sums = (tokens: number, nll: number, refNll: number, kl: number, agree: number) => Object.assign(new EvalSums(), { tokens, nll, refNll, kl, agree });

describe("scored windows in the store", () => {
  it("merge per spec in window order to the metrics of the tokens scored, travel in a bundle and are deleted with the run", async () => {
    const store = await openWasmNodeStore();
    const fresh = await openWasmNodeStore();
    try {
      await saveModel(store, "m1", { format: "gguf", name: "m.gguf", tensors: [], config: { architecture: "llama" } }, "local:m.gguf");
      const runId = await startRun(store, { modelId: "m1", kind: "eval", toolVersion: "test", spec: "FP32,W4", params: { specs: ["FP32", "W4"] } });
      // window 1 stored before window 0 (two threads); W4's windows: 10 tokens (nll 12, ref 11, kl 0.5, 8 agree), 6 tokens (nll 9, ref 7, kl 0.25, 5 agree)
      await saveRunWindows(store, runId, [{ spec: "W4", window: 1, sums: sums(6, 9, 7, 0.25, 5) }, { spec: "FP32", window: 1, sums: sums(6, 7, 7, 0, 6) }]);
      await saveRunWindows(store, runId, [{ spec: "FP32", window: 0, sums: sums(10, 11, 11, 0, 10) }, { spec: "W4", window: 0, sums: sums(10, 12, 11, 0.5, 8) }]);
      const got = await fetchWindowResults(store, runId);
      const w4 = got.find((r) => r.spec === "W4")!;
      expect(w4).toMatchObject({ windows: 2, last: 1, tokens: 16, mean_nll: 21 / 16, kl: 0.75 / 16, top1_agreement: 13 / 16 });
      expect(w4.ppl).toBeCloseTo(Math.exp(21 / 16), 14);
      expect(got.find((r) => r.spec === "FP32")).toMatchObject({ tokens: 16, mean_nll: 18 / 16, kl: 0, top1_agreement: 1 });
      expect((await listEvalRuns(store))[0]).toMatchObject({ results: 0, windows: 2 });

      await importBundle(fresh, (await readBundle(await writeBundle(store, runId, "test"))).rows);
      expect(await fetchWindowResults(fresh, runId)).toEqual(got);

      await deleteRun(store, runId);
      expect(await fetchWindowResults(store, runId)).toEqual([]);
    } finally {
      await store.close();
      await fresh.close();
    }
  });
});
