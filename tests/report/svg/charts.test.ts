/** The report's SVG geometry: scales checked by hand, one data element per point, escaped labels. */
import { describe, expect, it } from "vitest";
import { barsSvg } from "../../../lib/report/svg/bars.ts";
import { heatmapSvg } from "../../../lib/report/svg/heatmap.ts";
import { histogramSvg, normalCount } from "../../../lib/report/svg/histogram.ts";
import { linearScale, linearTicks, logScale, logTicks, sequentialColor } from "../../../lib/report/svg/scale.ts";

/** Riemann sum of a normal's expected bin counts over +-8 std, relative to n. */
const MAX_NORMAL_MASS_ERROR = 1e-6;

describe("scales", () => {
  it("linearScale(d0, d1, r0, r1) maps ends and midpoint; a zero-width domain maps to r0", () => {
    const s = linearScale(2, 4, 10, 20);
    expect([s(2), s(3), s(4)]).toEqual([10, 15, 20]);
    expect(linearScale(1, 1, 5, 9)(1)).toBe(5);
  });
  it("logScale(1e-3, 1, 0, 300) puts each decade 100 apart; values <= 0 at r0", () => {
    const s = logScale(1e-3, 1, 0, 300);
    expect([s(1e-3), s(1e-2), s(1)].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([0, 100, 300]);
    expect(s(0)).toBe(0);
  });
  it("logTicks and linearTicks give powers of ten and 1-2-5 steps", () => {
    expect(logTicks(3e-4, 0.98)).toEqual([1e-4, 1e-3, 1e-2, 1e-1, 1]);
    expect(linearTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(-1.01, 1.03, 6)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });
  it("sequentialColor(t) runs from YlOrRd's light yellow to dark red and clamps", () => {
    expect([sequentialColor(0), sequentialColor(1), sequentialColor(-3), sequentialColor(Number.NaN)]).toEqual(["#ffffcc", "#800026", "#ffffcc", "#ffffcc"]);
  });
});

describe("charts", () => {
  it("heatmapSvg draws one rect per cell, skips missing cells and escapes names", () => {
    const svg = heatmapSvg({ kind: "heatmap", metric: "kurtosis", layers: [0, 1], modules: ["q", "k"], cells: [
      { layer: 0, module: "q", name: "a<b", value: 3 }, { layer: 0, module: "k", name: "b", value: 9 }, { layer: 1, module: "q", name: "c", value: null },
    ] });
    expect(svg.match(/data-value=/g)!.length).toBe(3);
    expect(svg).toContain('data-name="a&lt;b"');
    expect(svg).toContain('fill="#ffffcc" data-value="3"');
    expect(svg).toContain('fill="#800026" data-value="9"');
    expect(svg).not.toContain("a<b");
  });
  it("barsSvg on a log axis makes a bar 10x larger one decade longer", () => {
    const svg = barsSvg({ kind: "bars", metric: "KL", scale: "log", bars: [{ label: "W8", value: 0.001 }, { label: "W4", value: 0.01 }, { label: "W3", value: 0.1 }] });
    const widths = [...svg.matchAll(/<rect x="110" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths.length).toBe(3);
    expect(widths[2]! - widths[1]!).toBeCloseTo(widths[1]! - widths[0]!, 1);
  });
  it("normalCount sums to n over the real line and histogramSvg draws one rect per bin", () => {
    const edges = Array.from({ length: 1601 }, (_, i) => -8 + i * 0.01);
    const total = edges.slice(1).reduce((s, b, i) => s + normalCount(0, 1, 1000, edges[i]!, b), 0);
    expect(Math.abs(total - 1000) / 1000).toBeLessThan(MAX_NORMAL_MASS_ERROR);
    const svg = histogramSvg({ kind: "histogram", tensor: "t", edges: [0, 1, 2, 3], counts: [5, 0, 2], normal: { mean: 1.5, std: 0.5, n: 7 } });
    expect([...svg.matchAll(/data-value="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([5, 0, 2]);
    expect(svg).toContain("<polyline");
  });
});
