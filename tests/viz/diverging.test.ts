/** divergingScale / differenceGrid: centred on 0, symmetric, blue for lower and red for higher; cells by layer and module. */
import { describe, expect, it } from "vitest";
import { interpolateRdBu } from "d3";
import { pairTensors, type TensorSide } from "../../lib/analysis/compare.ts";
import { differenceGrid, divergingScale } from "../../lib/viz/diverging.ts";
import { MISSING_FILL } from "../../lib/viz/scale.ts";

describe("divergingScale(values)", () => {
  const s = divergingScale([-1, 0.5, 2, null]);

  it("spans [-max|v|, max|v|]: -2 and +2 are the ends, 0 the white middle", () => {
    expect(s.extent).toBe(2);
    expect(s.fill(2)).toBe(interpolateRdBu(0)); // RdBu's red end
    expect(s.fill(-2)).toBe(interpolateRdBu(1)); // its blue end
    expect(s.fill(0)).toBe(interpolateRdBu(0.5));
    expect([s.t(-1), s.t(0.5), s.t(9)]).toEqual([-0.5, 0.25, 1]);
  });

  it("gives the missing colour to null and white text only on the dark ends", () => {
    expect(s.fill(null)).toBe(MISSING_FILL);
    expect([s.text(2), s.text(0.5), s.text(null)]).toEqual(["#ffffff", "#0f172a", "#0f172a"]);
  });

  it("a column of zeros is all white, not a division by zero", () => {
    const z = divergingScale([0, 0]);
    expect([z.extent, z.fill(0)]).toEqual([0, interpolateRdBu(0.5)]);
  });
});

describe("differenceGrid(pairs, pick, scale)", () => {
  const t = (name: string, layer: number | null, module: string | null, kurtosis: number): TensorSide => ({ name, layer, module, kurtosis, absmax: 1, absmax_over_std: 1 });
  const a = [t("model.layers.0.self_attn.q_proj.weight", 0, "q", 3), t("model.layers.1.mlp.down_proj.weight", 1, "down", 5), t("model.norm.weight", null, "norm", 1)];
  const b = [t("model.layers.0.self_attn.q_proj.weight", 0, "q", 4), t("model.layers.1.mlp.down_proj.weight", 1, "down", 3)];

  it("places each paired tensor with a layer at its (layer, module) cell, in forward-pass module order", () => {
    const pairs = pairTensors(a, b);
    const g = differenceGrid(pairs, (p) => p.d_kurtosis, divergingScale(pairs.map((p) => p.d_kurtosis)));
    expect([g.layers, g.modules, g.domain]).toEqual([[0, 1], ["q", "down"], [-2, 2]]);
    expect(g.cells.map((c) => [c.module, c.value])).toEqual([["down", -2], ["q", 1]]);
    expect(g.cells[0]!.fill).toBe(interpolateRdBu(1));
  });

  it("leaves norms out and keeps the largest |difference| where tensors share a cell (experts)", () => {
    const e = (name: string, k: number) => t(name, 0, "down", k);
    const pairs = pairTensors([e("x0", 1), e("x1", 1), t("n", 0, "norm", 1)], [e("x0", 2), e("x1", -2), t("n", 0, "norm", 9)]);
    const g = differenceGrid(pairs, (p) => p.d_kurtosis, divergingScale([3]));
    expect(g.cells.map((c) => [c.name, c.value])).toEqual([["x1", -3]]);
  });
});
