/** lineGeometry: point and linear x scales, series joined in x order, y ticks inside the plot. */
import { describe, expect, it } from "vitest";
import { LINE_MARGIN, lineGeometry, type Series } from "../../lib/viz/line-chart.ts";

const W = 300, H = 200;
const series: Series[] = [
  { key: "a", label: "a", points: [{ x: 4, y: 50 }, { x: 16, y: 60 }, { x: 8, y: 59 }] },
  { key: "b", label: "b", points: [{ x: 16, y: 40 }, { x: 2, y: 10 }] },
];

describe("lineGeometry(series, width, height, options)", () => {
  it("a point scale in descending order puts 16 bits leftmost and spaces the bit widths equally", () => {
    const g = lineGeometry(series, W, H, { xKind: "point", xOrder: "desc" });
    expect(g.xTicks.map((t) => t.value)).toEqual([16, 8, 4, 2]);
    const gaps = g.xTicks.slice(1).map((t, i) => t.x - g.xTicks[i]!.x);
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0]!, 9);
    expect(g.xTicks[0]!.x).toBeGreaterThan(LINE_MARGIN.left);
    expect(g.xTicks.at(-1)!.x).toBeLessThan(W - LINE_MARGIN.right);
  });

  it("joins a series' points in x order and maps higher y to a smaller pixel y", () => {
    const g = lineGeometry(series, W, H, { xKind: "point", xOrder: "desc" });
    const a = g.paths[0]!;
    expect(a.dots.map((d) => d.x)).toEqual([16, 8, 4]);
    const [mx, my] = a.d.slice(1).split(/[,L]/).map(Number); // d3-path keeps 3 decimals
    expect(mx).toBeCloseTo(a.dots[0]!.cx, 2);
    expect(my).toBeCloseTo(a.dots[0]!.cy, 2);
    const b = g.paths[1]!;
    expect(b.dots[0]!.cy).toBeLessThan(b.dots[1]!.cy);
    expect(g.paths[0]!.colour).not.toBe(g.paths[1]!.colour);
  });

  it("a linear scale places x by value, and a fixed y domain bounds the ticks", () => {
    const g = lineGeometry([{ key: "s", label: "s", points: [{ x: 0, y: 20 }, { x: 0.25, y: 30 }, { x: 1, y: 40 }] }], W, H, { xKind: "linear", yDomain: [0, 100] });
    const [d0, d1, d2] = g.paths[0]!.dots;
    expect((d1!.cx - d0!.cx) / (d2!.cx - d0!.cx)).toBeCloseTo(0.25, 9);
    expect(g.yTicks[0]!.value).toBe(0);
    expect(g.yTicks.at(-1)!.value).toBe(100);
    for (const t of g.yTicks) expect(t.y).toBeGreaterThanOrEqual(LINE_MARGIN.top - 1e-9);
  });

  it("no series gives empty paths and no crash", () => {
    const g = lineGeometry([], W, H, { xKind: "point" });
    expect(g.paths).toEqual([]);
    expect(g.xTicks).toEqual([]);
  });
});
