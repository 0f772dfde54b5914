/**
 * lib/store/quant-error-queries.ts: the what-if errors of a run are stored (Node binding and
 * duckdb-wasm), travel in a result bundle, and rebuild the same ModelAnalysis.quantErrors as the
 * live analysis had: the SQNR columns and the what-if grid of a reopened run equal the computed ones.
 */
import { describe, expect, it } from "vitest";
import { analysisFromRunRows } from "../../lib/analysis/live.ts";
import { sqnrOf } from "../../lib/analysis/analysis.ts";
import type { TensorInfo } from "../../lib/formats/types.ts";
import { whatifErrors, type SpecQuantError } from "../../lib/quant/whatif.ts";
import { collectRunRows, importBundle, readBundle, writeBundle } from "../../lib/share/bundle.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import { quantErrorsFromRows, saveQuantErrors } from "../../lib/store/quant-error-queries.ts";
import { finishRun, saveModel, saveTensors, saveTensorStats, startRun } from "../../lib/store/queries.ts";
import type { Store } from "../../lib/store/store.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import { linearStats } from "./fixtures.ts";

/** A deterministic 8 x 6 weight with one outlier column (so the grid's errors differ by spec). */
function weight(): Float32Array {
  const w = new Float32Array(48);
  for (let i = 0; i < w.length; i++) w[i] = Math.sin(i * 1.7) * (i % 6 === 1 ? 4.5 : 1);
  return w;
}

const NAME = "model.layers.0.self_attn.q_proj.weight";
const TENSORS: TensorInfo[] = [{ name: NAME, fileName: "m.safetensors", dtype: "BF16", shape: [8, 6], numel: 48, shard: 0, byteOffset: 0, byteLength: 96 }];

/** A stored stats run of one weight with its what-if errors; returns the run id. */
async function storedRun(store: Store, errors: Record<string, SpecQuantError[]>): Promise<string> {
  await saveModel(store, "m1", { format: "safetensors", name: "tiny", tensors: TENSORS, config: { architecture: "llama", nLayers: 1 } }, "local:tiny");
  await saveTensors(store, "m1", TENSORS);
  const runId = await startRun(store, { modelId: "m1", kind: "stats", toolVersion: "test" });
  await saveTensorStats(store, runId, "m1", linearStats(0));
  await finishRun(store, runId, "done");
  await saveQuantErrors(store, runId, "m1", errors);
  return runId;
}

const runtimes: Array<[string, () => Promise<Store>]> = [["node", () => openNodeStore()], ["wasm", () => openWasmNodeStore()]];

describe.each(runtimes)("what-if errors in the store (%s)", (_runtime, open) => {
  it("a reopened run and its bundle give the same quantErrors as the live analysis", async () => {
    const live = { [NAME]: whatifErrors(weight(), 8, 6) };
    expect(live[NAME]!.length).toBe(28); // 7 bit widths x 4 group sizes
    const store = await open();
    const fresh = await open();
    try {
      const runId = await storedRun(store, live);
      const reopened = analysisFromRunRows((await collectRunRows(store, runId)).rows, "test");
      expect(reopened.quantErrors).toEqual(live);
      expect(sqnrOf(reopened, NAME, "W4-g32")).toBe(live[NAME]!.find((e) => e.spec === "W4-g32")!.sqnrDb);
      const { rows } = await readBundle(await writeBundle(store, runId, "quantlens test"));
      expect(rows.quant_errors).toHaveLength(28);
      await importBundle(fresh, rows);
      const imported = analysisFromRunRows((await collectRunRows(fresh, runId)).rows, "test");
      expect(imported.quantErrors).toEqual(live);
    } finally {
      await store.close();
      await fresh.close();
    }
  }, 60_000);

  it("an exact round trip (SQNR +Infinity) reads back as +Infinity", async () => {
    const store = await open();
    try {
      const runId = await storedRun(store, { [NAME]: [{ spec: "W8", relMse: 0, sqnrDb: Number.POSITIVE_INFINITY }] });
      const rows = (await collectRunRows(store, runId)).rows.quant_errors;
      expect(quantErrorsFromRows(rows)[NAME]).toEqual([{ spec: "W8", relMse: 0, sqnrDb: Number.POSITIVE_INFINITY }]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
