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
