/** The family option functions of the forward pass (lib/model/ops.ts), on numbers checkable by hand. */
import { describe, expect, it } from "vitest";
import { addBias, activateAll, geluTanh, glu, layerNorm, rmsnorm, routeTopK, softcap } from "../../lib/model/ops.ts";
import { embedTokens, type LlamaModel } from "../../lib/model/forward.ts";
import { llamaFamily } from "../../lib/model/family.ts";

describe("norms", () => {
  it("rmsnorm(out, x, w) divides each row by its root mean square, then scales by w", () => {
    const out = new Float32Array(4);
    rmsnorm(out, Float32Array.of(3, 4, 1, 1), Float32Array.of(1, 2, 1, 1), 2, 2, 0);
    const r = Math.sqrt(12.5);
    expect([...out].map((v) => +v.toFixed(6))).toEqual([3 / r, 8 / r, 1, 2].map((v) => +v.toFixed(6)));
  });

  it("layerNorm(out, x, w, b) centres, divides by the population std and adds the bias (torch.nn.LayerNorm)", () => {
    const out = new Float32Array(2);
    layerNorm(out, Float32Array.of(1, 3), Float32Array.of(2, 2), Float32Array.of(0.5, -0.5), 1, 2, 0);
    expect(out[0]).toBeCloseTo(-2 + 0.5, 6);
    expect(out[1]).toBeCloseTo(2 - 0.5, 6);
  });

  it("rmsnorm over [M * heads, headDim] norms each head on its own (q_norm / k_norm)", () => {
    const q = Float32Array.of(1, 1, 2, 2);
    rmsnorm(q, q, Float32Array.of(1, 1), 2, 2, 0);
    expect([...q]).toEqual([1, 1, 1, 1]);
  });
});

describe("MLP activations", () => {
  it("geluTanh(x) is transformers' gelu_pytorch_tanh", () => {
    expect(geluTanh(0)).toBe(0);
    expect(geluTanh(1)).toBeCloseTo(0.8411920, 6); // torch.nn.functional.gelu(1, approximate="tanh")
    expect(geluTanh(-3)).toBeCloseTo(-0.0036374, 6);
  });

  it("glu(act, g, u) gives act(g) * u for silu (SwiGLU) and gelu_tanh (GeGLU)", () => {
    const g = Float32Array.of(1, -2), u = Float32Array.of(3, 0.5);
    glu("silu", g, u, 2);
    expect(g[0]).toBeCloseTo(3 / (1 + Math.exp(-1)), 6);
    expect(g[1]).toBeCloseTo((0.5 * -2) / (1 + Math.exp(2)), 6);
    const h = Float32Array.of(1);
    glu("gelu_tanh", h, Float32Array.of(2), 1);
    expect(h[0]).toBeCloseTo(2 * 0.841192, 5);
  });

  it("activateAll(relu) zeroes negatives (OPT's fc1 -> relu -> fc2)", () => {
    const x = Float32Array.of(-1, 0, 2.5);
    activateAll("relu", x, 3);
    expect([...x]).toEqual([0, 0, 2.5]);
  });

  it("addBias(y, b, M) adds b to every row", () => {
    const y = new Float32Array(4);
    addBias(y, Float32Array.of(1, 2), 2);
    expect([...y]).toEqual([1, 2, 1, 2]);
  });
});

describe("routeTopK(logits, k) (Mixtral's router)", () => {
  it("keeps the k most probable experts and renormalises their softmax probabilities to sum 1", () => {
    const experts = new Int32Array(2), weights = new Float32Array(2);
    routeTopK(Float32Array.of(0, Math.log(3), -5, Math.log(2)), 2, experts, weights);
    expect([...experts]).toEqual([1, 3]);
    expect(weights[0]).toBeCloseTo(0.6, 6);
    expect(weights[1]).toBeCloseTo(0.4, 6);
  });
});

describe("softcap(x, cap)", () => {
  it("maps x to cap * tanh(x / cap): near x for small x, bounded by cap", () => {
    const x = Float32Array.of(0.01, 1000);
    softcap(x, 30);
    expect(x[0]).toBeCloseTo(0.01, 6);
    expect(x[1]).toBeCloseTo(30, 4);
  });
});

describe("embedTokens(model, tokens, pos0, x)", () => {
  const c = { dim: 2, vocabSize: 3, family: llamaFamily("llama", 1e4, 2, 1) };
  const model = (fam: Partial<LlamaModel["config"]["family"]>, positions?: Float32Array) =>
    ({ config: { ...c, family: { ...c.family, ...fam } }, embed: Float32Array.of(1, 2, 3, 4, 5, 6), ...(positions ? { positions } : {}) }) as unknown as LlamaModel;

  it("scales the embedding by embedScale (Gemma: sqrt(hidden_size))", () => {
    const x = new Float32Array(2);
    embedTokens(model({ embedScale: 8 }), Int32Array.of(1), 0, x);
    expect([...x]).toEqual([24, 32]);
  });

  it("adds learned position p + offset (OPT: position 0 reads row 2)", () => {
    const x = new Float32Array(4);
    embedTokens(model({ rope: null, positionOffset: 2 }, Float32Array.of(0, 0, 0, 0, 10, 20, 30, 40)), Int32Array.of(0, 2), 0, x);
    expect([...x]).toEqual([11, 22, 35, 46]);
    expect(() => embedTokens(model({ rope: null, positionOffset: 2 }, Float32Array.of(0, 0, 0, 0, 10, 20, 30, 40)), Int32Array.of(0), 2, new Float32Array(2))).toThrow(RangeError);
  });
});
