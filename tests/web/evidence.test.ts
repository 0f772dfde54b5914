/** The recommendation input of the model on screen: the demo's own size, context and shapes unless the URL says otherwise. */
import { describe, expect, it } from "vitest";
import { loadDemo } from "../../lib/demo/load.ts";
import { DEFAULT_RECOMMEND } from "../../lib/share/evidence-url-state.ts";
import { modelDefaults, recommendInputOf } from "../../lib/web/evidence.ts";

const { generated_by: _, ...demo } = await loadDemo();
const measured = [{ spec: "W4", kl: 0.1, top1_agreement: 0.9, ppl: 10, run_id: "r1" }];

describe("modelDefaults(analysis) and recommendInputOf(analysis, state, measured)", () => {
  it("reads stories260K's size, context (512) and the shapes of its linears and KV cache", () => {
    const d = modelDefaults(demo);
    expect(d.paramsB).toBeCloseTo(demo.model.params / 1e9, 15);
    expect(d.context).toBe(512);
    expect(d.shape!.linears.length).toBe(5 * 7);
    expect(d.shape!.kv).toEqual({ layers: 5, kvHeads: 4, headDim: 8 });
  });

  it("the URL's empty state takes everything from the model and keeps the user's runs", () => {
    const i = recommendInputOf(demo, DEFAULT_RECOMMEND, measured);
    expect(i).toMatchObject({ paramsB: demo.model.params / 1e9, context: 512, target: "all", memoryGb: null, model: "demo", measured });
  });

  it("another size from the URL drops the model's shapes and runs (they describe a different model)", () => {
    const i = recommendInputOf(demo, { ...DEFAULT_RECOMMEND, paramsB: 7, task: "multi_step_reasoning", memoryGb: 6 }, measured);
    expect(i).toMatchObject({ paramsB: 7, task: "multi_step_reasoning", memoryGb: 6, shape: null, measured: [], model: null });
  });
});

describe("measuredSpecsFor(store, analysis)", () => {
  it("gives the demo's 13 embedded specs, each replaced by the user's own latest run of it in the store (and theirs added)", async () => {
    const { openWasmNodeStore } = await import("../../lib/store/wasm-node.ts");
    const { saveModel, startRun, finishRun } = await import("../../lib/store/queries.ts");
    const { saveRunResults } = await import("../../lib/store/eval-queries.ts");
    const { measuredSpecsFor, EMBEDDED_RUN_ID } = await import("../../lib/web/evidence.ts");
    const store = await openWasmNodeStore();
    try {
      expect(demo.measured!.results).toHaveLength(13);
      const before = await measuredSpecsFor(store, demo);
      expect(before.map((m) => m.spec)).toEqual(demo.measured!.results.map((r) => r.spec));
      expect(before.every((m) => m.run_id === EMBEDDED_RUN_ID)).toBe(true);
      // an evaluation of the demo in this browser (models.source "demo"): W8 again, and a spec the demo lacks
      await saveModel(store, "m1", { name: "stories260K", format: "gguf", tensors: [] }, "demo");
      const run = await startRun(store, { modelId: "m1", kind: "eval", toolVersion: "test" });
      await saveRunResults(store, run, "W8", { ppl: 3.5, kl: 0.01, top1_agreement: 0.9, mean_nll: 1.25 }, 100);
      await saveRunResults(store, run, "W6", { ppl: 3.46, kl: 0.002, top1_agreement: 0.95, mean_nll: 1.24 }, 100);
      await finishRun(store, run, "done");
      const after = await measuredSpecsFor(store, demo);
      expect(after.map((m) => m.spec)).toEqual([...demo.measured!.results.map((r) => r.spec), "W6"]);
      expect(after.find((m) => m.spec === "W8")).toMatchObject({ kl: 0.01, run_id: run });
      expect(after.find((m) => m.spec === "W4")!.run_id).toBe(EMBEDDED_RUN_ID);
      // a model without an embedded run has only its own
      expect(await measuredSpecsFor(store, { ...demo, id: "local:x.gguf", measured: undefined })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
