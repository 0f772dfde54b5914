/** histogram.ts and outliers.ts: the f32 bin rule, edges, and exact f32 outlier thresholds. */
import { describe, expect, it } from "vitest";
import { binIndex, binScale, countOutliers, histogram, histogramEdges, outlierBounds, outlierFraction } from "../../lib/stats/index.ts";

describe("histogram", () => {
  it("histogram(x, min, max, bins) puts max in the last bin and skips non-finite values", () => {
    const h = histogram([0, 1, 2, 3, 4, NaN, Infinity], 0, 4, 4);
    expect(h.counts).toEqual([1, 1, 1, 2]);
    expect(h.edges).toEqual([0, 1, 2, 3, 4]);
  });

  it("binIndex uses a constant tensor's middle bin, and histogramEdges numpy's [min - 0.5, max + 0.5]", () => {
    expect(binIndex(3, 3, binScale(3, 3, 64), 64)).toBe(32);
    expect(histogramEdges(3, 3, 2)).toEqual([2.5, 3, 3.5]);
  });
});

describe("outliers", () => {
  it("outlierBounds(mean, std) are the f32 values just inside mean ± 6 std", () => {
    const [lo, hi] = outlierBounds(0.1, 1);
    expect(hi).toBe(Math.fround(6.1) > 6.1 ? 6.099999904632568 : Math.fround(6.1));
    expect(hi).toBeLessThanOrEqual(6.1);
    expect(lo).toBeGreaterThanOrEqual(-5.9);
    const f32 = new Float32Array([6.1, -5.9, 6.0999, -5.8999]);
    expect(countOutliers(f32, lo, hi)).toBe(Array.from(f32).filter((v) => Math.abs(v - 0.1) > 6).length);
  });

  it("outlierBounds(mean, 0) admits every value; outlierFraction(_, 0) is null", () => {
    expect(outlierBounds(5, 0)).toEqual([-Infinity, Infinity]);
    expect(outlierFraction(0, 0)).toBeNull();
    expect(outlierFraction(1, 4)).toBe(0.25);
  });
});

describe("binScale(min, max, bins)", () => {
  it("stays finite for a range of two subnormals (clamped to FLT_MAX), min still in bin 0", () => {
    const [min, max] = [2 ** -149, 2 ** -148];
    const s = binScale(min, max, 64);
    expect(s).toBe(3.4028234663852886e38);
    expect(binIndex(min, min, s, 64)).toBe(0);
    expect(binScale(-1, 1, 64)).toBe(32);
  });
});
