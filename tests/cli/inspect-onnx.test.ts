/**
 * `quantlens inspect` and `quantlens stats` on the stories260K ONNX export show every tensor with
 * the same shape ([out, in] for MatMul weights stored [in, out]), and neither lists the graph's
 * RoPE buffer expand_1 [1, 4, 1] as a model tensor.
 */
import { describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";

/** tensor name -> shape column of a rendered table (first two columns). */
function shapes(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split("\n")) {
    const [name, shape] = line.trim().split(/\s+/);
    if (name && shape && /^(model\.|lm_head)/.test(name)) m.set(name, shape);
  }
  return m;
}

describe("ONNX shapes in inspect and stats", () => {
  it("are the same for every tensor, and the graph constants are not listed", async (ctx) => {
    const dir = await fixture("models/stories260K-onnx");
    if (!dir) return ctx.skip();
    const a = captureEffects();
    expect(await main(["inspect", dir], a)).toBe(0);
    const b = captureEffects();
    expect(await main(["stats", dir, "--no-progress"], b)).toBe(0);
    const inspect = shapes(a.stdout()), stats = shapes(b.stdout());
    expect(inspect.size).toBe(48);
    expect([...inspect]).toEqual([...stats]);
    expect(inspect.get("model.layers.0.self_attn.k_proj.weight")).toBe("32x64");
    expect(a.stdout()).not.toContain("expand_1");
    expect(b.stdout()).not.toContain("expand_1");
  }, 120_000);
});
