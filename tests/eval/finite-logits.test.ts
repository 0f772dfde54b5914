/**
 * Issue 12, class 9: an evaluation whose logits are NaN or infinite stops with a clear error
 * (before: NaN compared false everywhere and the run printed KL 0 and top-1 1.000).
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../lib/eval/evaluate.ts";
import { NonFiniteLogitsError } from "../../lib/eval/finite-logits.ts";
import type { LogitsEngine } from "../../lib/model/engine.ts";

const VOCAB = 5;

/** An engine whose every row is `row` (a real engine's shape, no model behind it). */
function engine(name: string, row: number[]): LogitsEngine {
  return {
    name, vocabSize: VOCAB, contextLength: 16,
    async *window(tokens) { for (let i = 0; i < tokens.length; i++) yield Float32Array.from(row); },
    async close() {},
  };
}

describe("evaluate(model, documents, reference)", () => {
  const docs = [Int32Array.from([1, 2, 3, 4])];
  const finite = engine("fp32", [0, 1, 2, 3, 4]);

  it.each([["NaN", [0, NaN, 1, 2, 3]], ["+Inf", [0, Infinity, 1, 2, 3]], ["all -Inf", Array(VOCAB).fill(-Infinity)]])(
    "stops with NonFiniteLogitsError when the quantized model's logits hold %s", async (_, row) => {
      const err = await evaluate(engine("llama W4", row), docs, finite).catch((e) => e);
      expect(err).toBeInstanceOf(NonFiniteLogitsError);
      expect(String(err.message)).toMatch(/llama W4: logits .* not finite/);
    });

  it("stops when the reference's logits are NaN", async () => {
    await expect(evaluate(finite, docs, engine("fp32 broken", [NaN, 0, 0, 0, 0]))).rejects.toThrow(NonFiniteLogitsError);
  });

  it("scores finite logits as before", async () => {
    const r = await evaluate(finite, docs, finite);
    expect(r.tokens).toBe(3);
    expect(r.kl).toBe(0);
  });
});
