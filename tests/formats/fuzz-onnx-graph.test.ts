/**
 * Issue 12, class 11: structured fuzzing of the ONNX graph walk. Random but well-formed graphs
 * (nodes of the op types onnx-names.ts reads, inputs that name initializers, Hugging Face
 * looking and anonymous names, 0-3-D initializers, repeated and missing references) must open
 * to a TensorSource whose names are unique, or fail with a FormatError, quickly. Seeded PRNG.
 */
import { expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openOnnx } from "../../lib/formats/onnx.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";
import { memorySource } from "../helpers/memory-source.ts";
import { modelProto, nodeProto, tensorProto } from "../helpers/proto-writer.ts";

/** Random graphs tried. */
const GRAPHS = 300;
/** Wall-clock budget for opening one graph. */
const MAX_MS_PER_GRAPH = 500;
const OPS = ["MatMul", "Gather", "Transpose", "Mul", "Add", "SimplifiedLayerNormalization", "Identity"];
const NAMES = [
  "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight", "model.layers.1.input_layernorm.weight",
  "model.norm.weight", "model.embed_tokens.weight", "lm_head.weight", "m.model.norm.weight", "onnx::MatMul_1", "val_2", "val_3",
];

it("openOnnx(random graph) opens with unique names or throws FormatError, fast", { timeout: 120_000 }, async () => {
  const r = mulberry32(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const outcomes: Record<string, number> = {};
  for (let g = 0; g < GRAPHS; g++) {
    const inits = Array.from({ length: 1 + Math.floor(r() * 8) }, (_, i) => {
      const name = r() < 0.7 ? pick(NAMES) : `w${i}`;
      const dims = Array.from({ length: Math.floor(r() * 3) + (r() < 0.1 ? 0 : 1) }, () => 1 + Math.floor(r() * 4));
      const dtype = r() < 0.9 ? 1 : pick([7, 10, 16, 8]); // F32, else I64, F16, BF16, STRING
      const n = dims.reduce((a, b) => a * b, 1);
      const size = dtype === 1 ? 4 : dtype === 7 ? 8 : 2;
      return { name, msg: tensorProto(name, dims, dtype).len(9, new Uint8Array(r() < 0.95 ? n * size : n * size + 1)) };
    });
    const refs = [...inits.map((t) => t.name), "x", "y", "t0", "t1"];
    const nodes = Array.from({ length: Math.floor(r() * 20) }, (_, i) =>
      nodeProto(pick(OPS), Array.from({ length: Math.floor(r() * 3) }, () => pick(refs)), [r() < 0.3 ? pick(["t0", "t1"]) : `o${i}`]));
    const bytes = modelProto(inits.map((t) => t.msg), nodes);
    const t0 = performance.now();
    let outcome: string;
    try {
      const src = await openOnnx(memorySource(bytes, `g${g}.onnx`));
      expect(new Set(src.tensors.map((t) => t.name)).size, `graph ${g}`).toBe(src.tensors.length);
      outcome = "ok";
    } catch (e) {
      if (!(e instanceof FormatError)) throw new Error(`graph ${g}: ${(e as Error).stack}`);
      outcome = "FormatError";
    }
    expect(performance.now() - t0, `graph ${g}`).toBeLessThan(MAX_MS_PER_GRAPH);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  expect(outcomes.ok).toBeGreaterThan(0);
  expect(outcomes.FormatError).toBeGreaterThan(0);
});
