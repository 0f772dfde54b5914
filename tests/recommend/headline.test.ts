import { describe, expect, it } from "vitest";
import { headline, paramsLabel, specList } from "../../lib/recommend/headline.ts";
import type { Recommendation } from "../../lib/recommend/result.ts";

/** A result with just the fields the line reads (the engine's own output is checked in engine.test.ts). */
function rec(over: Partial<Recommendation>): Recommendation {
  return {
    recommended: ["W8", "W8A8", "KV8"], acceptable: ["W4"], avoid: ["W4A4", "W2"],
    rationale: [
      { rule: "a", text: "", specs: [], evidence: ["r1", "r2"] }, { rule: "b", text: "", specs: [], evidence: ["r2", "r3"] },
      { rule: "b", text: "", specs: [], evidence: [] }, { rule: "c", text: "", specs: [], evidence: [] }, { rule: "d", text: "", specs: [], evidence: ["r4"] },
    ],
    inputs: { model: null, params_b: 260032 / 1e9, family: null, task: "dialogue", context: 512, memory_gb: null, target: "all", shape: "from the model file", measured_specs: [] },
    specs: [{ spec: "W8", evidence: ["r5", "r1"] } as Recommendation["specs"][number]],
    ...over,
  };
}

describe("headline(rec)", () => {
  it("says the three lists, the model size, the task, the distinct rules and the distinct evidence rows", () => {
    expect(headline(rec({})).text).toBe("W8, W8A8, KV8 recommended; W4 acceptable; avoid W4A4, W2 — for a 0.26M model on dialogue, 4 rules, 5 evidence rows");
  });

  it("leaves out an empty list and names a missing task 'any task'", () => {
    const h = headline(rec({ acceptable: [], inputs: { ...rec({}).inputs, task: null } }));
    expect(h.lists).toBe("W8, W8A8, KV8 recommended; avoid W4A4, W2");
    expect(h.scope).toMatch(/^for a 0\.26M model on any task, /);
  });

  it("writes task ids with spaces (multi_step_reasoning)", () => {
    expect(headline(rec({ inputs: { ...rec({}).inputs, task: "multi_step_reasoning", params_b: 7 } })).scope).toMatch(/^for a 7B model on multi step reasoning,/);
  });
});

describe("specList(specs, max)", () => {
  it("names plain specs before calibrated ones and counts the rest", () => {
    expect(specList(["W8", "W8-awq", "W4-awq", "W4-gptq", "W8A8", "W4A8", "KV8", "KV4"])).toBe("W8, W8A8, W4A8, KV8 and 4 more");
    expect(specList(["W4-gptq", "W4"])).toBe("W4, W4-gptq");
  });
});

describe("paramsLabel(paramsB)", () => {
  it("gives two significant digits in B, M (from 100K) or K", () => {
    expect([70, 7.24, 1, 0.5, 0.000260032, 0.0001, 0.000042].map(paramsLabel)).toEqual(["70B", "7.2B", "1B", "500M", "0.26M", "0.1M", "42K"]);
  });
});
