/** recommend(store, input): the scenarios, from the data, on both store runtimes. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recommend } from "../../lib/recommend/engine.ts";
import type { Store } from "../../lib/store/store.ts";
import { evidenceStore, input } from "./helpers.ts";

describe("recommend(store, input)", () => {
  let store: Store;
  beforeAll(async () => { store = await evidenceStore(); }, 60_000);
  afterAll(() => store.close());

  for (const task of ["multi_step_reasoning", "self_calibration"] as const) {
    it(`a 7B model on ${task}: W8, W8A8, KV8 recommended; W4A4, W2 avoided`, async () => {
      const r = await recommend(store, input({ task }));
      expect(r.recommended).toEqual(expect.arrayContaining(["W8", "W8A8", "KV8"]));
      expect(r.avoid).toEqual(expect.arrayContaining(["W4A4", "W2"]));
      const w8 = r.specs.find((s) => s.spec === "W8")!;
      expect(w8.rules.find((f) => f.applied)).toMatchObject({ rule: "small-model-reasoning-8bit", finding: "F07", holds: true });
      expect(w8.evidence.length).toBeGreaterThan(0);
      expect(w8.evidence.every((id) => id.startsWith("qe_"))).toBe(true);
    });
  }

  it("the aggregate text names spec, scope, drop and pair count", async () => {
    const r = await recommend(store, input({ task: "multi_step_reasoning" }));
    expect(r.specs.find((s) => s.spec === "W4")!.aggregate!.text)
      .toBe("mean relative drop of W4 on multi-step reasoning for models under 13B: 2.3% over 10 model x dataset pairs (10 rows; worst pair 8.3%)");
  });

  it("a 70B model: W4 and KV4 at least acceptable, W2 avoided", async () => {
    for (const task of [null, "multi_step_reasoning"] as const) {
      const r = await recommend(store, input({ paramsB: 70, task }));
      expect([...r.recommended, ...r.acceptable]).toEqual(expect.arrayContaining(["W4", "KV4"]));
      expect(r.avoid).toContain("W2");
    }
  });

  it("a context over 4k: W4, W4A8, KV8 acceptable, KV4 and KV3 avoided with the long-context warning", async () => {
    const r = await recommend(store, input({ context: 8192 }));
    expect(r.acceptable).toEqual(expect.arrayContaining(["W4", "W4A8", "KV8"]));
    expect(r.avoid).toEqual(expect.arrayContaining(["KV4", "KV3"]));
    expect(r.specs.find((s) => s.spec === "KV4")!.reason).toMatch(/^long-context-low-bit-kv \(F12\): warning: long texts/);
  });

  it("a context over 4k for the Mistral family: KV4 holds (F15 overrides the F12 warning)", async () => {
    const r = await recommend(store, input({ context: 8192, family: "Mistral" }));
    expect(r.acceptable).toContain("KV4");
    const kv4 = r.specs.find((s) => s.spec === "KV4")!;
    expect(kv4.rules.filter((f) => f.applied).map((f) => f.rule)).toEqual(["mistral-long-kv4"]);
    expect(kv4.rules.find((f) => f.rule === "long-context-low-bit-kv")).toMatchObject({ holds: true, applied: false });
  });

  it("under a memory budget: what does not fit is avoided, the least-loss fitting spec is recommended, F05 speaks", async () => {
    const r = await recommend(store, input({ task: "multi_step_reasoning", memoryGb: 6 }));
    for (const s of r.specs) if (!s.memory.fits) expect(s.bucket, s.spec).toBe("avoid");
    expect(r.avoid).toEqual(expect.arrayContaining(["W8", "W8A8", "KV8"]));
    expect(r.recommended.length).toBeGreaterThan(0);
    expect(r.specs.filter((s) => r.recommended.includes(s.spec)).every((s) => s.memory.fits)).toBe(true);
    const f05 = r.rationale.find((x) => x.rule === "memory-larger-model-w3")!;
    expect(f05).toMatchObject({ finding: "F05", holds: true });
    expect(f05.text).toMatch(/larger@W3 beat a same-family smaller model .* in 7\/8 pairs on multi-step reasoning/);
    expect(f05.evidence.length).toBeGreaterThan(0);
  });

  it("under a budget where no recommended spec fits, the fitting spec that loses least is promoted", async () => {
    const r = await recommend(store, input({ memoryGb: 4, target: "weights" }));
    const fitting = r.specs.filter((s) => s.memory.fits && s.bucket !== "avoid");
    expect(r.recommended).toHaveLength(1);
    const best = r.specs.find((s) => s.spec === r.recommended[0])!;
    expect(best.basis).toBe("memory");
    for (const s of fitting) expect(best.aggregate!.mean_rel_drop_pct).toBeLessThanOrEqual(s.aggregate!.mean_rel_drop_pct);
  });

  it("a measured run far worse than the evidence demotes the spec and says so", async () => {
    const measured = [{ spec: "W8", kl: 0.4, top1_agreement: 0.7, ppl: 9, run_id: "r1" }, { spec: "W4-g128", kl: 0.01, top1_agreement: 0.97, ppl: 5, run_id: "r1" }];
    const r = await recommend(store, input({ task: "multi_step_reasoning", measured }));
    const w8 = r.specs.find((s) => s.spec === "W8")!;
    expect(w8).toMatchObject({ bucket: "avoid", basis: "measured" });
    expect(w8.reason).toMatch(/^your measured W8 \(KL 0\.4000, top-1 agreement 0\.700, run r1\) is far worse than the evidence predicts/);
    expect(r.specs.find((s) => s.spec === "W4")!.measured!.agrees).toBe(true);
  });

  it("target weights lists weight-only specs only; the inputs are echoed", async () => {
    const r = await recommend(store, input({ target: "weights" }));
    expect([...r.recommended, ...r.acceptable, ...r.avoid].every((s) => /^W\d+(-\w+)?$/.test(s))).toBe(true);
    expect(r.inputs).toMatchObject({ params_b: 7, target: "weights", shape: "estimated from the parameter count" });
  });

  it("gives the same answer on duckdb-wasm as on Node DuckDB", async () => {
    const wasm = await evidenceStore("wasm");
    try {
      const i = input({ task: "multi_step_reasoning", context: 8192, memoryGb: 8 });
      expect(await recommend(wasm, i)).toEqual(await recommend(store, i));
    } finally {
      await wasm.close();
    }
  }, 60_000);
});
