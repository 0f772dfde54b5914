/** pairTensors / pairEvals / divergingExtent: matching by name and spec, b - a differences, on numbers checkable by hand. */
import { describe, expect, it } from "vitest";
import { delta, divergingExtent, pairCounts, pairEvals, pairTensors, type EvalSide, type TensorSide } from "../../lib/analysis/compare.ts";

const t = (name: string, kurtosis: number | null, absmax: number | null, ratio: number | null, layer: number | null = 0, module: string | null = "q"): TensorSide =>
  ({ name, layer, module, kurtosis, absmax, absmax_over_std: ratio });

describe("pairTensors(a, b)", () => {
  // a: q 3 -> b: q 5 (Δ +2); k 4 -> 3.5 (Δ -0.5); v 10 -> 10 (Δ 0); norm only in a; embed only in b
  const a = [t("q", 3, 1, 4), t("k", 4, 2, 6), t("v", 10, 0.5, 8), t("norm", 1.5, 1, 1, null, "norm")];
  const b = [t("v", 10, 0.25, 8), t("k", 3.5, 2.5, 7), t("q", 5, 1, 4), t("embed", 2, 3, 5, null, "embed")];
  const pairs = pairTensors(a, b);

  it("matches by name whatever the order and orders by |Δ kurtosis|, unmatched names last", () => {
    expect(pairs.map((p) => p.name)).toEqual(["q", "k", "v", "embed", "norm"]);
  });

  it("gives b - a for kurtosis, absmax/std and absmax", () => {
    const [q, k, v] = pairs;
    expect([q!.d_kurtosis, q!.d_ratio, q!.d_absmax]).toEqual([2, 0, 0]);
    expect([k!.d_kurtosis, k!.d_ratio, k!.d_absmax]).toEqual([-0.5, 1, 0.5]);
    expect([v!.d_kurtosis, v!.d_absmax]).toEqual([0, -0.25]);
  });

  it("keeps a tensor found on one side only, with null differences and the other side null", () => {
    const norm = pairs.find((p) => p.name === "norm")!;
    expect([norm.a?.kurtosis, norm.b, norm.d_kurtosis, norm.layer, norm.module]).toEqual([1.5, null, null, null, "norm"]);
    expect(pairCounts(pairs)).toEqual({ both: 3, onlyA: 1, onlyB: 1 });
  });

  it("treats a null statistic (kurtosis of a constant tensor) as no difference", () => {
    const [p] = pairTensors([t("c", null, 0, null)], [t("c", 3, 1, 2)]);
    expect([p!.d_kurtosis, p!.d_ratio, p!.d_absmax]).toEqual([null, null, 1]);
  });

  it("keeps the first row of a name repeated on one side", () => {
    const [p] = pairTensors([t("q", 3, 1, 1), t("q", 99, 1, 1)], [t("q", 4, 1, 1)]);
    expect(p!.d_kurtosis).toBe(1);
  });
});

describe("pairEvals(a, b)", () => {
  const e = (spec: string, ppl: number | null, kl: number | null, top1: number | null): EvalSide => ({ spec, ppl, kl, top1_agreement: top1 });

  it("matches specs, a's order first, with b - a for ppl, KL and top-1", () => {
    const pairs = pairEvals([e("FP32", 3.5, 0, 1), e("W4", 4, 0.25, 0.75)], [e("W4", 3.75, 0.125, 0.875), e("W3", 9, 1, 0.5), e("FP32", 3.5, 0, 1)]);
    expect(pairs.map((p) => p.spec)).toEqual(["FP32", "W4", "W3"]);
    expect([pairs[0]!.d_ppl, pairs[0]!.d_kl, pairs[0]!.d_top1]).toEqual([0, 0, 0]);
    expect([pairs[1]!.d_ppl, pairs[1]!.d_kl, pairs[1]!.d_top1]).toEqual([-0.25, -0.125, 0.125]);
    expect([pairs[2]!.a, pairs[2]!.d_ppl]).toEqual([null, null]);
  });
});

describe("pairEvals(a, b) across spellings and methods", () => {
  const e = (spec: string, kl: number): EvalSide => ({ spec, ppl: 4, kl, top1_agreement: 0.9 });

  it("matches W4-g128 with W4 and w8 with W8 (one canonical spec), b's spelling in specB", () => {
    const [p, q] = pairEvals([e("W4-g128", 0.5), e("w8", 0.25)], [e("W4", 0.25), e("W8-rtn", 0.25)]);
    expect([p!.spec, p!.specB, p!.d_kl]).toEqual(["W4-g128", "W4", -0.25]);
    expect([q!.spec, q!.specB, q!.d_kl]).toEqual(["w8", "W8-rtn", 0]);
  });

  it("matches W4 in a with W4-awq in b (one quantization by two methods) when each is the only one of its kind", () => {
    const pairs = pairEvals([e("FP32", 0), e("W4", 0.5)], [e("FP32", 0), e("W4-awq", 0.125)]);
    expect(pairs.map((p) => [p.spec, p.specB, p.d_kl])).toEqual([["FP32", undefined, 0], ["W4", "W4-awq", -0.375]]);
  });

  it("leaves method variants apart when a side holds several of them", () => {
    const pairs = pairEvals([e("W4", 0.5)], [e("W4-awq", 0.125), e("W4-gptq", 0.25)]);
    expect(pairs.map((p) => [p.spec, p.a !== null, p.b !== null])).toEqual([["W4", true, false], ["W4-awq", false, true], ["W4-gptq", false, true]]);
  });
});

describe("delta(x, y) and divergingExtent(values)", () => {
  it("delta is y - x, null when either side is missing or not finite", () => {
    expect([delta(1, 3), delta(null, 3), delta(2, undefined), delta(Number.NaN, 1), delta(1, Infinity)]).toEqual([2, null, null, null, null]);
  });

  it("divergingExtent is the largest |v|, 0 for no finite value", () => {
    expect(divergingExtent([-3, 2, null, Number.NaN])).toBe(3);
    expect(divergingExtent([null])).toBe(0);
  });
});
