/** precisionSeries, longContextSeries and dropGridGeometry on hand-made explorer rows. */
import { describe, expect, it } from "vitest";
import type { DropCell, PrecisionPoint } from "../../lib/store/evidence-explorer.ts";
import { DROP_GRID_LAYOUT, FP16_BITS, dropGridGeometry, longContextSeries, precisionSeries } from "../../lib/viz/evidence-series.ts";

const pt = (model: string, bits: number, value: number, fp16: number, rows: number, method = "RTN"): PrecisionPoint =>
  ({ family: "OPT", model, size_b: 1, quant_target: "W", method, bits, value, fp16, rel_pct: (value / fp16) * 100, rows });

describe("precisionSeries(points, measure)", () => {
  const points = [pt("OPT-1B", 8, 50, 50, 2), pt("OPT-1B", 4, 40, 52, 2), pt("OPT-1B", 4, 30, 50, 1, "AWQ")];

  it("starts each line at FP16 with its row-weighted FP16 mean, then one point per bit width", () => {
    const [opt] = precisionSeries(points, "absolute");
    expect(opt!.family).toBe("OPT");
    const rtn = opt!.series.find((s) => s.key === "OPT-1B W")!;
    expect(rtn.points).toEqual([{ x: FP16_BITS, y: 51 }, { x: 8, y: 50 }, { x: 4, y: 40 }]);
    expect(opt!.series.find((s) => s.key === "OPT-1B W AWQ")!.points[0]).toEqual({ x: FP16_BITS, y: 50 });
  });

  it("relative lines start at 100% and carry value / fp16", () => {
    const rtn = precisionSeries(points, "relative")[0]!.series[0]!;
    expect(rtn.points[0]).toEqual({ x: FP16_BITS, y: 100 });
    expect(rtn.points[2]!.y).toBeCloseTo((40 / 52) * 100, 12);
  });
});

describe("longContextSeries(points)", () => {
  it("groups points by spec", () => {
    const s = longContextSeries([{ spec: "W4", x: 4, value: 80, rows: 2 }, { spec: "FP16", x: 4, value: 90, rows: 2 }, { spec: "W4", x: 8, value: 70, rows: 2 }]);
    expect(s.map((x) => x.key)).toEqual(["W4", "FP16"]);
    expect(s[0]!.points).toEqual([{ x: 4, y: 80 }, { x: 8, y: 70 }]);
  });
});

describe("dropGridGeometry(cells)", () => {
  const cell = (model: string, size_b: number, spec: string, bits: number, drop_pct: number): DropCell => ({ model, size_b, spec, bits, drop_pct, pairs: 1, rows: 1 });
  const cells = [cell("B-13B", 13, "W4", 4, 3), cell("A-7B", 7, "W2", 2, 60), cell("A-7B", 7, "W8", 8, -0.5), cell("B-13B", 13, "W8", 8, 0.2)];

  it("orders models by size and specs from most to fewest bits, one rect per cell", () => {
    const g = dropGridGeometry(cells);
    expect(g.models).toEqual(["A-7B", "B-13B"]);
    expect(g.specs).toEqual(["W8", "W4", "W2"]);
    const r = g.rects.find((x) => x.model === "B-13B" && x.spec === "W4")!;
    expect(r.x).toBe(DROP_GRID_LAYOUT.left + 1 * (DROP_GRID_LAYOUT.cellW + DROP_GRID_LAYOUT.gap));
    expect(r.y).toBe(DROP_GRID_LAYOUT.top + 1 * (DROP_GRID_LAYOUT.cellH + DROP_GRID_LAYOUT.gap));
  });

  it("colours a gain as no loss and the largest drop darkest", () => {
    const g = dropGridGeometry(cells);
    expect(g.scale.domain).toEqual([0, 60]);
    const fill = (m: string, s: string) => g.rects.find((x) => x.model === m && x.spec === s)!.fill;
    expect(fill("A-7B", "W8")).toBe(g.scale.fill(0));
    expect(fill("A-7B", "W2")).toBe(g.scale.fill(60));
  });
});
