/** recommendationFor(ctx, request): lib/recommend's answer from the store's facts, measured runs and evidence. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportContext } from "../../lib/report/build.ts";
import { recommendationFor } from "../../lib/report/recommendation-input.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Store } from "../../lib/store/store.ts";
import { loadInput, STORIES_MODEL_ID } from "./helpers.ts";
import { withEvidence } from "./helpers-evidence.ts";

describe("recommendationFor(ctx, { task })", () => {
  let store: Store;
  beforeAll(async () => { store = await loadInput(await openNodeStore()); });
  afterAll(() => store?.close());

  it("says the evidence is missing instead of recommending from nothing", async () => {
    const { rec, note } = await recommendationFor(await reportContext(store, { modelId: STORIES_MODEL_ID }), { task: "dialogue" });
    expect(rec).toBeNull();
    expect(note).toContain("no published evidence");
  });

  it("feeds the engine the store's size, context, shapes and every measured spec", async () => {
    await withEvidence(store);
    const ctx = await reportContext(store, { modelId: STORIES_MODEL_ID });
    const { rec } = await recommendationFor(ctx, { task: "dialogue" });
    expect(rec!.inputs).toMatchObject({ params_b: 260_032 / 1e9, task: "dialogue", context: 512, target: "all", shape: "from the model file",
      measured_specs: ["FP32", "W8", "W4", "W3", "W8A8", "W4A8", "KV8", "KV4"] });
    // the measurement decides W4 for this model (KL 0.11 against FP32), whatever the evidence says
    expect(rec!.specs.find((s) => s.spec === "W4")).toMatchObject({ basis: "measured", bucket: "avoid" });
    expect(ctx.log.uses.map((u) => u.name)).toEqual(expect.arrayContaining(["dtype_totals", "tensor_shapes", "eval_results"]));
  }, 60_000);
});
