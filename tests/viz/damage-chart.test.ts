import { describe, expect, it } from "vitest";
import { damageChart, DAMAGE_MARGIN, DAMAGE_ROW, klTickLabel } from "../../lib/viz/damage-chart.ts";

const POINTS = [
  { spec: "FP32", kl: 0 }, { spec: "W8", kl: 0.00032 }, { spec: "W4", kl: 0.1135 }, { spec: "W2", kl: 4.95 }, { spec: "KV4", kl: null },
];

describe("damageChart(points, width)", () => {
  it("draws one bar per spec with a positive KL, in the given order, and leaves FP32 (the reference) out", () => {
    const g = damageChart(POINTS, 600);
    expect(g.bars.map((b) => b.spec)).toEqual(["W8", "W4", "W2"]);
    expect(g.skipped).toEqual(["KV4"]);
    expect(g.height).toBe(DAMAGE_MARGIN.top + 3 * DAMAGE_ROW + DAMAGE_MARGIN.bottom);
  });

  it("puts bars on a log scale over whole decades: lengths grow with KL, ratios by log10", () => {
    const g = damageChart(POINTS, 600);
    const [w8, w4, w2] = g.bars;
    // domain 1e-4 .. 10: five decades over the plot width
    const decade = (600 - DAMAGE_MARGIN.left - DAMAGE_MARGIN.right) / 5;
    expect(w8!.width).toBeCloseTo(decade * Math.log10(0.00032 / 1e-4), 6);
    expect(w4!.width).toBeCloseTo(decade * Math.log10(0.1135 / 1e-4), 6);
    expect(w2!.width).toBeCloseTo(decade * Math.log10(4.95 / 1e-4), 6);
    expect(g.ticks.map((t) => t.label)).toEqual(["1e-4", "1e-3", "0.01", "0.1", "1", "10"]);
    expect(g.bars.every((b) => b.x === DAMAGE_MARGIN.left)).toBe(true);
  });

  it("returns no bars (and no ticks) when nothing but FP32 was measured", () => {
    const g = damageChart([{ spec: "FP32", kl: 0 }], 400);
    expect(g.bars).toEqual([]);
    expect(g.ticks).toEqual([]);
  });

  it("keeps a one-decade domain when every spec has the same KL", () => {
    const g = damageChart([{ spec: "W8", kl: 0.5 }, { spec: "W8A8", kl: 0.5 }], 400);
    expect(g.bars[0]!.width).toBeGreaterThan(1);
    expect(g.bars[0]!.width).toBe(g.bars[1]!.width);
  });
});

describe("klTickLabel(v)", () => {
  it("writes small powers of ten as 1e-N and the rest as plain numbers", () => {
    expect([1e-5, 1e-3, 0.01, 0.1, 1, 10].map(klTickLabel)).toEqual(["1e-5", "1e-3", "0.01", "0.1", "1", "10"]);
  });
});
