import { describe, expect, it } from "vitest";
import { histogramGeometry, normalPdf } from "../../lib/viz/histogram.ts";

const M = { top: 0, right: 0, bottom: 0, left: 0 };

describe("histogramGeometry(h, mean, std, width, height)", () => {
  it("places bars edge to edge over [lo, hi] with heights proportional to counts", () => {
    const g = histogramGeometry({ lo: -1, hi: 1, counts: [1, 3, 3, 1] }, 0, 0.5, 400, 100, M);
    expect(g.total).toBe(8);
    expect(g.bars.map((b) => b.x0)).toEqual([-1, -0.5, 0, 0.5]);
    expect(g.bars[0]!.x).toBe(0);
    expect(g.bars[2]!.x).toBe(200);
    expect(g.bars[1]!.height).toBeCloseTo(3 * g.bars[0]!.height, 9);
  });
  it("scales the normal curve to counts per bin: its peak is n * binWidth * pdf(mean)", () => {
    const g = histogramGeometry({ lo: -1, hi: 1, counts: [1, 3, 3, 1] }, 0, 0.5, 400, 100, M);
    const peak = 8 * 0.5 * normalPdf(0, 0, 0.5); // 3.19, above the tallest bar
    expect(peak).toBeCloseTo(3.1915, 4);
    expect(g.curve.startsWith("M")).toBe(true);
    // the y domain covers the curve's peak (nice()d to 3.5 or 4)
    expect(g.yTicks[g.yTicks.length - 1]!.value).toBeGreaterThanOrEqual(3);
  });
  it("draws no curve when std is 0 or missing", () => {
    expect(histogramGeometry({ lo: 2, hi: 2, counts: [5] }, 2, 0, 300, 100).curve).toBe("");
    expect(histogramGeometry({ lo: 0, hi: 1, counts: [5] }, null, null, 300, 100).curve).toBe("");
  });
});

it("normalPdf(x, mean, std) is 1/sqrt(2 pi) at the mean of a standard normal", () => {
  expect(normalPdf(0, 0, 1)).toBeCloseTo(0.3989422804, 9);
});
