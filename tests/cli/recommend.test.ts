/** `quantlens recommend` through the CLI: the CONTRACT JSON, the scenarios, a model file, and bad input. */
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT_USAGE } from "../../lib/cli/errors.ts";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";

interface Out {
  recommended: string[]; acceptable: string[]; avoid: string[];
  rationale: Array<{ rule: string; text: string; specs: string[]; evidence: string[] }>;
  inputs: Record<string, unknown>;
  specs: Array<{ spec: string; bucket: string; memory: { total_gb: number; estimated: boolean } }>;
}

async function recommendJson(args: string[]): Promise<Out> {
  const fx = captureEffects();
  const code = await main(["recommend", ...args, "--json"], fx);
  expect(code, fx.stderr()).toBe(0);
  return JSON.parse(fx.stdout()) as Out;
}

let gguf: string | null;
beforeAll(async () => { gguf = await fixture("models/stories260K.gguf"); });

describe("quantlens recommend", () => {
  it("--params-b 7 --task multi_step_reasoning --json prints the CONTRACT object with rule ids and evidence row ids", async () => {
    const r = await recommendJson(["--params-b", "7", "--task", "multi_step_reasoning"]);
    expect(Object.keys(r).slice(0, 5)).toEqual(["recommended", "acceptable", "avoid", "rationale", "inputs"]);
    expect(r.recommended).toEqual(expect.arrayContaining(["W8", "W8A8", "KV8"]));
    expect(r.avoid).toEqual(expect.arrayContaining(["W4A4", "W2"]));
    const f07 = r.rationale.find((x) => x.rule === "small-model-reasoning-8bit")!;
    expect(f07.specs).toEqual(["W8", "W8A8", "KV8"]);
    expect(f07.evidence.length).toBeGreaterThan(0);
    expect(f07.evidence.every((id) => /^qe_[0-9a-f]{10}$/.test(id))).toBe(true);
    for (const x of r.rationale) expect(Object.keys(x).slice(0, 4).sort()).toEqual(["evidence", "rule", "specs", "text"].sort());
    expect(r.inputs).toMatchObject({ params_b: 7, task: "multi_step_reasoning", context: 2048, memory_gb: null, target: "all" });
  }, 120_000);

  it("the issue's scenarios: 70B, a context over 4k (and Mistral's KV4), a memory budget", async () => {
    const big = await recommendJson(["--params-b", "70"]);
    expect([...big.recommended, ...big.acceptable]).toEqual(expect.arrayContaining(["W4", "KV4"]));
    expect(big.avoid).toContain("W2");
    const long = await recommendJson(["--params-b", "7", "--context", "8192"]);
    expect(long.acceptable).toEqual(expect.arrayContaining(["W4", "W4A8", "KV8"]));
    expect(long.avoid).toEqual(expect.arrayContaining(["KV4", "KV3"]));
    expect(long.rationale.find((x) => x.rule === "long-context-low-bit-kv")!.text).toContain("warning");
    const mistral = await recommendJson(["--params-b", "7", "--context", "8192", "--family", "mistral"]);
    expect(mistral.inputs.family).toBe("Mistral");
    expect(mistral.acceptable).toContain("KV4");
    const budget = await recommendJson(["--params-b", "7", "--task", "multi_step_reasoning", "--memory-gb", "6"]);
    for (const s of budget.specs) if (s.memory.total_gb > 6) expect(s.bucket, s.spec).toBe("avoid");
    expect(budget.rationale.find((x) => x.rule === "memory-larger-model-w3")!.text).toMatch(/^F05: /);
  }, 300_000);

  it("reads stories260K.gguf's size, context and shapes from its headers and explains itself in a table", async (ctx) => {
    if (!gguf) return ctx.skip();
    const r = await recommendJson([gguf, "--task", "dialogue"]);
    // the GGUF states context_length 2048 and stores lm_head untied: 292,800 parameters (quantlens inspect)
    expect(r.inputs).toMatchObject({ model: gguf, family: null, task: "dialogue", context: 2048, params_b: 0.0002928, shape: "from the model file" });
    expect(r.specs.every((s) => !s.memory.estimated)).toBe(true);
    const fx = captureEffects();
    expect(await main(["recommend", gguf, "--task", "dialogue"], fx), fx.stderr()).toBe(0);
    const text = fx.stdout();
    expect(text).toMatch(/^model {7}\S+stories260K\.gguf {2}0\.0002\d+B parameters/);
    expect(text).toContain("dialogue-mild-specs");
    expect(text).toMatch(/recommended W8/);
    expect(text).toMatch(/Why:\n1\. \[/);
  }, 120_000);

  for (const [args, option] of [
    [["--params-b", "7", "--task", "poetry"], "--task"],
    [["--params-b", "-1"], "--params-b"],
    [["--params-b", "7", "--context", "4k"], "--context"],
    [["--params-b", "7", "--memory-gb", "0"], "--memory-gb"],
    [["--params-b", "7", "--target", "gpu"], "--target"],
    [[], "--params-b"],
  ] as const) {
    it(`bad input ${JSON.stringify(args)} exits ${EXIT_USAGE} with one line naming ${option}`, async () => {
      const fx = captureEffects();
      expect(await main(["recommend", ...args], fx)).toBe(EXIT_USAGE);
      expect(fx.stderr().trim().split("\n")).toHaveLength(1);
      expect(fx.stderr()).toContain(option);
      expect(fx.stdout()).toBe("");
    });
  }
});
